from datetime import date, datetime

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RiskCase


@tagged("at_install")
class TestBalanceHistory(RiskCase):
    """Golden history: the balance of past days rebuilt from the projects' own history (state
    log, loan release, dated repayments) and back-filled into snapshots and aggregates.

    The figures below are computed by hand from the story of three projects:

    A  small firm, loan 3,000,000 at own share 60%: contracted 2024-11-20, loan released
       2024-12-10 (activation recorded 2024-12-12), repaid 1,000,000 on 2025-06-30 and
       500,000 on 2026-03-31, compensated 2026-09-15. Weighted 75% (small firm ≤ 5,000,000).
    B  medium firm, loan 2,000,000 at 100%: released 2025-03-15, repaid 500,000 on
       2025-09-30, guarantee released 2026-02-28. Weighted 100%.
    C  as a ledger import leaves it: loan of 1,000,000 released 2025-01-10, 400,000 repaid on
       no known date, state log of today only; non-financing (weight 0): 600,000 from its
       release on.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["guarantee.balance.snapshot.run"]
        small = cls._company_partner("历史小型企业", "small")
        medium = cls._company_partner("历史中型企业", "medium")
        cls.a = cls._in_force(small, 3_000_000, own_share=60.0)
        cls.a._unlocked().write({"loan_release_date": "2024-12-10"})
        cls.a._record_repayment(1_000_000, "银行还款通知", date(2025, 6, 30))
        cls.a._record_repayment(500_000, "银行还款通知", date(2026, 3, 31))
        cls.a._do_transition("compensate")
        cls.b = cls._in_force(medium, 2_000_000)
        cls.b._unlocked().write({"loan_release_date": "2025-03-15"})
        cls.b._record_repayment(500_000, "银行还款通知", date(2025, 9, 30))
        cls.b._do_transition("release", {"date_released": "2026-02-28"})
        cls.c = cls._in_force(cls._company_partner("历史台账企业", "medium"), 1_000_000,
                              "non_financing")
        cls.c._unlocked().write({"loan_release_date": "2025-01-10", "principal_repaid": 400_000})
        cls._rewrite_history(cls.a, [
            ("draft", datetime(2024, 10, 8, 9, 0)),
            ("contracted", datetime(2024, 11, 20, 9, 0)),
            ("active", datetime(2024, 12, 12, 10, 0)),
            ("compensated", datetime(2026, 9, 15, 14, 0)),
        ])
        cls._rewrite_history(cls.b, [
            ("contracted", datetime(2025, 2, 20, 9, 0)),
            ("active", datetime(2025, 3, 15, 11, 0)),
            ("released", datetime(2026, 2, 28, 16, 0)),
        ])

    @classmethod
    def _rewrite_history(cls, project, entries):
        """The project's state log as it happened (the fixture's transitions all ran today)."""
        Log = cls.env["guarantee.project.state.log"].sudo()
        Log.search([("project_id", "=", project.id)]).unlink()
        Log.create([
            {"project_id": project.id, "state": state, "date": when}
            for state, when in entries
        ])

    def _run(self, day):
        run = self.Run.search([("company_id", "=", self.company.id), ("date", "=", day)])
        return run.project_count, run.balance, run.liability_balance

    def test_balance_of_a_on_six_past_days(self):
        Project = self.env["guarantee.project"]
        expected = {
            date(2024, 12, 9): ("contracted", 0),  # the day before the loan release
            date(2024, 12, 31): ("active", 1_800_000),  # 3,000,000 × 60%
            date(2025, 6, 30): ("active", 1_200_000),  # (3,000,000 − 1,000,000) × 60%
            date(2025, 12, 31): ("active", 1_200_000),
            date(2026, 3, 31): ("active", 900_000),  # (2,000,000 − 500,000) × 60%
            date(2026, 9, 30): ("compensated", 0),
        }
        for day, (state, balance) in expected.items():
            with self.subTest(day=day):
                self.assertEqual(Project._balance_on(day, project_ids=self.a.ids),
                                 {self.a.id: (state, balance)})
        self.assertEqual(Project._balance_on(date(2025, 6, 29), project_ids=self.a.ids),
                         {self.a.id: ("active", 1_800_000)})
        self.assertEqual(Project._balance_on(date(2024, 10, 7), project_ids=self.a.ids), {})

    def test_released_and_imported_projects(self):
        Project = self.env["guarantee.project"]
        ids = (self.b | self.c).ids
        self.assertEqual(Project._balance_on(date(2025, 1, 9), project_ids=ids), {})
        self.assertEqual(Project._balance_on(date(2025, 6, 30), project_ids=ids),
                         {self.b.id: ("active", 2_000_000), self.c.id: ("active", 600_000)})
        self.assertEqual(Project._balance_on(date(2025, 12, 31), project_ids=ids),
                         {self.b.id: ("active", 1_500_000), self.c.id: ("active", 600_000)})
        self.assertEqual(Project._balance_on(date(2026, 2, 28), project_ids=ids),
                         {self.b.id: ("released", 0), self.c.id: ("active", 600_000)})

    def test_monthly_backfill_writes_the_snapshots_and_aggregates_of_those_days(self):
        today = fields.Date.context_today(self.Run)
        self.env["guarantee.balance.snapshot"]._take_snapshot(today, self.company)
        today_run = self._run(today)
        runs = self.Run._backfill(date(2024, 11, 1), date(2026, 10, 31), companies=self.company)
        self.assertEqual(len(runs), 24)
        # (projects in force, balance, liability balance) of the company
        expected = {
            date(2024, 11, 30): (0, 0, 0),
            date(2024, 12, 31): (1, 1_800_000, 1_350_000),
            date(2025, 6, 30): (3, 3_800_000, 2_900_000),
            date(2025, 12, 31): (3, 3_300_000, 2_400_000),
            date(2026, 3, 31): (2, 1_500_000, 675_000),
            date(2026, 9, 30): (1, 600_000, 0),
        }
        Aggregate = self.env["guarantee.position.aggregate"]
        for day, figures in expected.items():
            with self.subTest(day=day):
                self.assertEqual(self._run(day), figures)
                [(count, balance, liability)] = Aggregate._read_group(
                    [("company_id", "=", self.company.id), ("date", "=", day)], [],
                    ["project_count:sum", "balance:sum", "liability_balance:sum"],
                )
                self.assertEqual((count or 0, balance or 0, liability or 0), figures)
        a_row = self.env["guarantee.balance.snapshot"].search(
            [("project_id", "=", self.a.id)]
            + self.env["guarantee.balance.snapshot"]._valid_on_domain(date(2026, 3, 31))
        )
        self.assertEqual((a_row.state, a_row.balance, a_row.liability_balance),
                         ("active", 900_000, 675_000))
        self.assertEqual(self._run(today), today_run)
        self.assertEqual(
            self.env["guarantee.balance.snapshot"]._balance_as_of(self.company, date(2026, 4, 15)),
            (1_500_000, 675_000),
        )

    def test_daily_backfill_around_the_release(self):
        self.Run._backfill(date(2024, 12, 9), date(2024, 12, 10), step="day",
                           companies=self.company)
        self.assertEqual(self._run(date(2024, 12, 9)), (0, 0, 0))
        self.assertEqual(self._run(date(2024, 12, 10)), (1, 1_800_000, 1_350_000))

    def test_backfill_never_writes_today_or_a_reversed_period(self):
        today = fields.Date.context_today(self.Run)
        with self.assertRaisesExactly(
            UserError,
            r"^A back-fill ends before today; today's snapshot is taken by the daily job\.$",
        ):
            self.Run._backfill(date(2026, 1, 1), today)
        with self.assertRaisesExactly(UserError, r"^The back-fill starts after it ends\.$"):
            self.Run._backfill(date(2026, 2, 1), date(2026, 1, 1))
        with self.assertRaisesExactly(
            UserError,
            r"^Only days before today can be rebuilt from history; today's snapshot is taken by "
            r"the daily job\.$",
        ):
            self.env["guarantee.balance.snapshot"]._write_history(today, self.company)

    def test_a_repayment_dated_in_the_future_is_refused(self):
        tomorrow = fields.Date.add(fields.Date.context_today(self.Run), days=1)
        with self.assertRaisesExactly(UserError, r"^A repayment cannot be dated in the future\.$"):
            self.c._record_repayment(1_000, "银行还款通知", tomorrow)
        self.assertEqual(self.c.principal_repaid, 400_000)

    def test_repayments_are_recorded_with_their_date(self):
        self.assertEqual(
            sorted(self.a.repayment_ids.mapped(lambda r: (r.date, r.amount))),
            [(date(2025, 6, 30), 1_000_000), (date(2026, 3, 31), 500_000)],
        )

    def test_finance_backfills_from_the_wizard_and_risk_cannot(self):
        Wizard = self.env["guarantee.balance.backfill.wizard"]
        action = Wizard.with_user(self.finance).create({
            "date_from": "2025-06-01", "date_to": "2025-07-31",
        }).action_confirm()
        runs = self.Run.search(action["domain"])
        self.assertEqual(runs.mapped("date"), [date(2025, 7, 31), date(2025, 6, 30)])
        self.assertEqual(self._run(date(2025, 6, 30)), (3, 3_800_000, 2_900_000))
        with self.assertRaisesRegex(AccessError, "not allowed to create"):
            Wizard.with_user(self.risk).create({"date_from": "2025-06-01"})

    def test_finance_sees_the_repayments_and_project_managers_do_not(self):
        rows = self.a.with_user(self.finance).repayment_ids
        self.assertEqual(sorted(rows.mapped("amount")), [500_000, 1_000_000])
        self.assertTrue(self._repayments_in_form(self.finance))
        self.assertFalse(self._repayments_in_form(self.pm_a))

    def _repayments_in_form(self, user):
        views = self.env["guarantee.project"].with_user(user).get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"]).xpath(
            "//field[@name='repayment_ids']"
        )
