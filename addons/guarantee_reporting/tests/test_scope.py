from decimal import Decimal

from odoo.tests import new_test_user, tagged

from .common import GuaranteeReportingCase

D = Decimal


@tagged("post_install", "-at_install")
class TestReportingScopeOfBRole(GuaranteeReportingCase):
    """A project manager reads the figures of the projects the project rule lets them read:
    as B-role (assistant) of A and C, whose A-role is pm_gold, they see those two projects'
    figures, and nothing of the other six of the portfolio."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pm_brole = new_test_user(
            cls.env, "t_pm_brole", groups="guarantee_base.group_guarantee_project_manager"
        )
        (cls.a | cls.c)._unlocked().write({"assistant_id": cls.pm_brole.id})

    def test_the_rule_lets_the_b_role_read_the_projects(self):
        Project = self.env["guarantee.project"].with_user(self.pm_brole)
        portfolio = self.a | self.b | self.c | self.d | self.e | self.f | self.r | self.k | self.n
        self.assertEqual(Project.search([("id", "in", portfolio.ids)]), self.a | self.c)

    def test_b_role_sees_the_position_of_their_projects(self):
        past = self.figures(self.pm_brole).position(self.d0)
        # A: 3,000,000 small loan, 75% → 2,250,000; C: 10,000,000 AA bond, 80% → 8,000,000
        self.assertEqual(past["count"], 2)
        self.assertEqual(past["balance"], D("13000000.00"))
        self.assertEqual(past["liability_balance"], D("10250000.00"))
        self.assertEqual(past["by_weight"]["loan_75"]["liability_balance"], D("2250000.00"))
        self.assertEqual(past["by_weight"]["bond_80"]["liability_balance"], D("8000000.00"))
        self.assertEqual(past["by_weight"]["loan_100"]["count"], 0)
        self.assertEqual([p["partner_id"] for p in past["top_parties"]],
                         [self.c.partner_id.id, self.a.partner_id.id])
        # both still in force today
        today = self.figures(self.pm_brole).position(self.today)
        self.assertEqual((today["count"], today["balance"], today["liability_balance"]),
                         (2, D("13000000.00"), D("10250000.00")))

    def test_b_role_sees_the_flows_and_the_trend_of_their_projects(self):
        per = self.figures(self.pm_brole).period(self.date_from, self.date_to)
        # the fee of A (45,000, paid); B's fee, N, R, K are not theirs
        self.assertEqual((per["fees_due"], per["fees_collected"]), (D("45000.00"), D("45000.00")))
        self.assertEqual((per["new"], per["released"], per["compensation"]),
                         (D("0.00"), D("0.00"), D("0.00")))
        trend = self.figures(self.pm_brole).trend([self.d0, self.today])
        self.assertEqual([point["balance"] for point in trend],
                         [D("13000000.00"), D("13000000.00")])
        self.assertEqual([point["liability_balance"] for point in trend],
                         [D("10250000.00"), D("10250000.00")])

    def test_b_role_dashboard_and_analysis_rows(self):
        data = self.figures(self.pm_brole).dashboard_data({})
        self.assertTrue(data["filters"]["manager_locked"])
        self.assertEqual(data["exposure"][0]["value"], 13000000.0)
        self.assertEqual(sum(cell["count"] for cell in data["heat_map"]["cells"]), 2)
        rows = self.env["guarantee.report.position"].with_user(self.pm_brole).search(
            [("date", "=", self.d0)])
        self.assertEqual(rows.project_id, self.a | self.c)

    def test_the_a_role_filter_still_narrows_the_executives_figures(self):
        pos = self.figures().position(self.d0, manager_id=self.pm_brole.id)
        self.assertEqual(pos["count"], 0)
