from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo read as an executive reads it (issue 29): last month's report and workbook,
    the trend of the last year and the staff board tell a plausible story, whatever the day
    the demo was installed on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.demo_company_cn", raise_if_not_found=False)
        if not cls.company or not cls.env.ref("guarantee_base.project_reviewing_demo",
                                              raise_if_not_found=False):
            cls.skipTest(cls, "installed without demo data")
        cls.Figures = cls.env["guarantee.report.figures"].with_company(cls.company)
        cls.today = fields.Date.context_today(cls.Figures)
        cls.last_month_end = cls.today.replace(day=1) - timedelta(days=1)
        cls.last_month_start = cls.last_month_end.replace(day=1)
        cls.managers = (cls.env.ref("guarantee_base.user_pm_zhang")
                        | cls.env.ref("guarantee_base.user_pm_li"))

    def month_ends(self, count):
        return [self.last_month_end - relativedelta(months=n) + relativedelta(day=31)
                for n in range(count)]

    def test_balance_in_force_on_each_of_the_last_twelve_month_ends(self):
        for day in self.month_ends(12):
            position = self.Figures.position(day, company=self.company)
            self.assertEqual(position["snapshot_date"], day, f"no snapshot of {day}")
            self.assertGreater(position["count"], 0, f"nothing in force on {day}")
            self.assertGreater(position["balance"], 0, f"no balance in force on {day}")

    def test_leverage_of_last_month_end_is_a_few_times(self):
        position = self.Figures.position(self.last_month_end, company=self.company)
        self.assertGreater(position["net_assets"], 0)
        self.assertGreaterEqual(position["leverage"], 1)
        self.assertLessEqual(position["leverage"], 10)

    def test_compensation_rate_of_last_month_is_a_few_percent_at_most(self):
        period = self.Figures.period(self.last_month_start, self.last_month_end,
                                     company=self.company)
        self.assertGreater(period["released"], 0, "no guarantee released last month")
        self.assertIsNotNone(period["compensation_rate"])
        self.assertLess(period["compensation_rate"], 0.10)
        # the receivable of the workbook: compensation paid less recovered and written off
        self.assertGreaterEqual(
            period["compensation_to_date"] - period["recovery_to_date"]
            - period["loss_to_date"], 0)

    def test_each_manager_has_own_projects_in_force(self):
        partners = []
        for manager in self.managers:
            position = self.Figures.position(self.last_month_end, company=self.company,
                                             manager_id=manager.id)
            self.assertGreater(position["count"], 0, f"{manager.name}: nothing in force")
            self.assertGreater(position["balance"], 0)
            in_force = self.env["guarantee.project"].search(
                [("company_id", "=", self.company.id), ("manager_id", "=", manager.id),
                 ("state", "=", "active")])
            self.assertGreaterEqual(len(in_force), 5, f"{manager.name}: too few in force")
            partners.append(set(in_force.partner_id.ids))
        self.assertFalse(partners[0] & partners[1], "the two portfolios share customers")

    def test_state_log_entries_of_a_project_are_on_distinct_days(self):
        self.env["guarantee.project.state.log"].flush_model()
        self.env.cr.execute(
            """
            SELECT project.name
              FROM guarantee_project_state_log log
              JOIN guarantee_project project ON project.id = log.project_id
             WHERE project.company_id = %s
          GROUP BY project.name
            HAVING COUNT(*) != COUNT(DISTINCT log.date::date)
            """,
            [self.company.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_state_log_spreads_over_the_years_before_today(self):
        self.env.cr.execute(
            """
            SELECT MIN(log.date)::date, MAX(log.date)::date, COUNT(DISTINCT log.date::date)
              FROM guarantee_project_state_log log
             WHERE log.company_id = %s
            """,
            [self.company.id],
        )
        first, last, days = self.env.cr.fetchone()
        self.assertLessEqual(first, self.today - relativedelta(years=2))
        self.assertLessEqual(last, self.today)
        self.assertGreater(days, 365, "the entries are not spread over the story")
