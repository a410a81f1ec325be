from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.guarantee_risk.tests.due_diligence_common import YEAR_2025, DueDiligenceCase


@tagged("post_install", "-at_install")
class TestScoringOnStatements(DueDiligenceCase):
    """The ratios of the statements as scorecard characteristics and first-review inputs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first, cls.second = cls._two_years(cls.customer_dd)
        Rule = cls.env["guarantee.prescreen.rule"]
        cls.debt_rule = Rule.create({
            "name": "资产负债率高于54%拒绝", "company_id": cls.company.id,
            "kind": "financial_ratio", "ratio": "debt_ratio", "ratio_operator": "above",
            "threshold": 54.0, "outcome": "decline", "sequence": 1,
        })
        cls.missing_rule = Rule.create({
            "name": "无报表", "company_id": cls.company.id, "kind": "financial_missing",
            "outcome": "review", "sequence": 2,
        })

    def test_the_last_statement_before_the_project_gives_the_characteristics(self):
        project = self._project(self.customer_dd, 1_000_000, date_start="2026-03-01")
        features = project._scorecard_features()
        # 2025: 资产负债率 3300 / 6000 = 55 %, 流动比率 3500 / 2100, 应收周转 36 days
        self.assertAlmostEqual(features["fin_debt_ratio"], 55.0, places=6)
        self.assertAlmostEqual(features["fin_current_ratio"], 3500 / 2100, places=2)
        self.assertAlmostEqual(features["fin_receivable_days"], 36.0, places=6)
        # a project of mid-2025 knows only the 2024 statement: 2600 / 5000 = 52 %
        earlier = self._project(self.customer_dd, 1_000_000, date_start="2025-06-30")
        self.assertAlmostEqual(earlier._scorecard_features()["fin_debt_ratio"], 52.0, places=6)
        self.assertIsNone(earlier._scorecard_features()["fin_revenue_growth"])

    def test_first_review_refuses_above_the_debt_ratio(self):
        project = self._project(self.customer_dd, 1_000_000, date_start="2026-03-01")
        project._apply_prescreen()
        # 55 % > 54 %: the reason (kept in the committee's language) names both and the
        # statement it was read from
        self.assertEqual(project.prescreen_result, "decline")
        for part in ("55.00", "54.00", "2025-12-31"):
            self.assertIn(part, project.prescreen_reasons)
        self.debt_rule.threshold = 60.0
        project._apply_prescreen()
        self.assertNotEqual(project.prescreen_result, "decline")
        self.assertNotIn("55.00", project.prescreen_reasons)

    def test_first_review_asks_for_a_closer_look_without_statements(self):
        newcomer = self._company_partner("测试新客户有限公司")
        project = self._project(newcomer, 1_000_000)
        env = project.with_context(lang=project._prescreen_lang()).env
        reason = "%s: %s" % (
            env._("Manual Review"),
            env._("The customer has no confirmed annual statement before the project."),
        )
        project._apply_prescreen()
        self.assertIn(reason, project.prescreen_reasons)
        self.assertNotEqual(project.prescreen_result, "decline")
        # a draft statement does not count; a confirmed one does
        statement = self._statement(newcomer, 2025, YEAR_2025)
        project._apply_prescreen()
        self.assertIn(reason, project.prescreen_reasons)
        statement.action_confirm()
        project._apply_prescreen()
        self.assertNotIn(reason, project.prescreen_reasons)
        self.assertEqual(project.prescreen_result, "decline", "55 % is above 54 %")

    def test_a_ratio_rule_names_its_ratio(self):
        with self.assertRaisesExactly(
            ValidationError,
            r"^A financial-ratio rule names its ratio and when it hits\.$",
        ):
            self.env["guarantee.prescreen.rule"].create({
                "name": "x", "company_id": self.company.id, "kind": "financial_ratio",
                "ratio": False, "outcome": "review",
            })
