from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import GuaranteeAccountingCase

# What each monthly run must post, worked out by hand (see the class docstring).
# month -> (unearned-premium provision, compensation provision)
EXPECTED = {
    date(2024, 1, 31): (50_000, 720_000),
    date(2024, 7, 31): (30_000, 0),
    date(2025, 1, 31): (-80_000, 80_000),
    date(2025, 2, 28): (20_000, 0),
    date(2025, 4, 30): (100_000, 1_600_000),
    date(2025, 5, 31): (50_000, 0),
}


@tagged("at_install")
class TestReserveProvisions(GuaranteeAccountingCase):
    """Two years of monthly runs (2024-2025), compensation reserve rate 6% (stricter than the
    1% default, so that the 10% cap bites within two years), unearned-premium rate 50%.

    Portfolio in force at each month end (own share, unweighted):
      P1 loan 10,000,000; P2 non-financing bid bond 4,000,000 at own share 50% = 2,000,000.
      2024-01..06: 12,000,000. 2024-07: P1 repays 4,000,000 → 8,000,000.
      2025-04: P3 loan 20,000,000 in force → 28,000,000. 2025-05: P1 repays the rest
      (6,000,000) → 22,000,000.
    Fee income: 2024-01-10 100,000; 2024-07-15 60,000; 2025-02-20 40,000; 2025-04-08 200,000;
      2025-05-10 100,000.

    Compensation reserve (6% of the balance a year, topped up only to 10% of the balance):
      2024-01: 6% × 12M = 720,000. Feb-Dec: the year's 720,000 is already there → 0.
      2025-01: 6% × 8M = 480,000, but the cap leaves 800,000 − 720,000 = 80,000 → 80,000.
      2025-04 (run late, after May's changes): 6% × 28M = 1,680,000 − 80,000 = 1,600,000
      (cap room 2,800,000 − 800,000). With today's 22M it would be 1,240,000.
      2025-05: 6% × 22M = 1,320,000 < 1,680,000 already provided → 0 (never released).
    Unearned premium (50% of the year's fee income, the difference posted):
      2024-01 +50,000; 2024-07 +30,000 (160,000 → 80,000); 2025-01 −80,000 (nothing earned
      yet: last year's released); 2025-02 +20,000; 2025-04 +100,000 (240,000 → 120,000; with
      May's fee it would be 150,000); 2025-05 +50,000 (340,000 → 170,000).
    Every other month posts nothing.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.guarantee_compensation_reserve_rate = 6.0
        cls.Provision = cls.env["guarantee.reserve.provision"]
        cls.Snapshot = cls.env["guarantee.balance.snapshot"]
        bid_bond = cls.env["guarantee.product"].create({
            "name": "测试投标保函", "code": "T-BID", "business_type": "non_financing",
        })
        cls.p1 = cls._project_in("active", released=10_000_000, amount=10_000_000)
        cls.p2 = cls._project_in("active", released=4_000_000, amount=4_000_000,
                                 own_share=50.0, product_id=bid_bond.id)

    def _fee_income(self, day, amount):
        company = self.company
        move = self.env["account.move"].create({
            "move_type": "entry", "journal_id": company.guarantee_misc_journal_id.id,
            "date": day, "ref": "担保费",
            "line_ids": [
                (0, 0, {"account_id": company.guarantee_bank_clearing_account_id.id,
                        "debit": amount, "credit": 0.0, "name": "担保费"}),
                (0, 0, {"account_id": company.guarantee_fee_income_account_id.id,
                        "debit": 0.0, "credit": amount, "name": "担保费"}),
            ],
        })
        move.action_post()

    def _month_events(self, month_end):
        events = {
            date(2024, 1, 31): lambda: self._fee_income("2024-01-10", 100_000),
            date(2024, 7, 31): lambda: (
                self._fee_income("2024-07-15", 60_000),
                self.p1._record_repayment(4_000_000, "银行还款通知", date(2024, 7, 20)),
            ),
            date(2025, 2, 28): lambda: self._fee_income("2025-02-20", 40_000),
            date(2025, 4, 30): lambda: (
                self._fee_income("2025-04-08", 200_000),
                self._project_in("active", released=20_000_000, amount=20_000_000),
            ),
            date(2025, 5, 31): lambda: (
                self._fee_income("2025-05-10", 100_000),
                self.p1._record_repayment(6_000_000, "银行还款通知", date(2025, 5, 18)),
            ),
        }
        if month_end in events:
            events[month_end]()

    def _run(self, month_end):
        wizard = self.env["guarantee.reserve.wizard"].with_user(self.finance).create(
            {"date_from": month_end.replace(day=1), "date_to": month_end}
        )
        action = wizard.action_provision()
        return self.Provision.browse(action["res_id"])

    def _reserve(self, account, day):
        return self.Provision._account_balance(self.company, account, None, day)

    def test_two_years_of_monthly_runs_with_a_late_run(self):
        month_end = date(2024, 1, 31)
        provisions = {}
        while month_end <= date(2025, 12, 31):
            self._month_events(month_end)
            self.Snapshot._take_snapshot(month_end, self.company)
            if month_end == date(2025, 4, 30):
                pass  # April is provisioned late, after May's changes
            elif month_end == date(2025, 5, 31):
                provisions[date(2025, 4, 30)] = self._run(date(2025, 4, 30))
                provisions[month_end] = self._run(month_end)
            else:
                provisions[month_end] = self._run(month_end)
            month_end = month_end + relativedelta(days=1) + relativedelta(months=1, days=-1)
        self.assertEqual(len(provisions), 24, "one provision per month")
        for month, provision in provisions.items():
            expected = EXPECTED.get(month, (0, 0))
            actual = (provision.unearned_amount, provision.compensation_amount)
            self.assertEqual(actual, expected, month)
            self.assertEqual(bool(provision.move_id), expected != (0, 0), month)
        late = provisions[date(2025, 4, 30)]
        self.assertEqual(late.snapshot_date, date(2025, 4, 30))
        self.assertEqual(late.balance_in_force, 28_000_000)
        self.assertEqual(late.fee_income, 240_000)
        self.assertEntry(late.move_id, [
            (self.company.guarantee_reserve_expense_account_id, 100_000, 0.0),
            (self.company.guarantee_unearned_reserve_account_id, 0.0, 100_000),
            (self.company.guarantee_reserve_expense_account_id, 1_600_000, 0.0),
            (self.company.guarantee_compensation_reserve_account_id, 0.0, 1_600_000),
        ])
        self.assertEntry(provisions[date(2025, 1, 31)].move_id, [
            (self.company.guarantee_unearned_reserve_account_id, 80_000, 0.0),
            (self.company.guarantee_reserve_expense_account_id, 0.0, 80_000),
            (self.company.guarantee_reserve_expense_account_id, 80_000, 0.0),
            (self.company.guarantee_compensation_reserve_account_id, 0.0, 80_000),
        ])
        year_end = date(2025, 12, 31)
        self.assertEqual(
            self._reserve(self.company.guarantee_unearned_reserve_account_id, year_end), 170_000
        )
        self.assertEqual(
            self._reserve(self.company.guarantee_compensation_reserve_account_id, year_end),
            2_400_000,
        )

    def test_a_period_is_provisioned_once_and_in_order(self):
        self.Snapshot._take_snapshot(date(2024, 1, 31), self.company)
        self.Snapshot._take_snapshot(date(2024, 2, 29), self.company)
        self._run(date(2024, 2, 29))
        for day in (date(2024, 2, 29), date(2024, 1, 31)):
            with self.assertRaisesExactly(
                UserError,
                r"^The reserves of YourCompany are provisioned up to 2024-02-29: the next period "
                r"starts after it\.$",
            ):
                self._run(day)
        self.assertEqual(self.Provision.search_count([("company_id", "=", self.company.id)]), 1)

    def test_no_snapshot_no_provision(self):
        with self.assertRaisesExactly(
            UserError,
            r"^No balance snapshot of YourCompany exists on or before 2023-12-31\.$",
        ):
            self._run(date(2023, 12, 31))
        self.assertFalse(self.Provision.search([("company_id", "=", self.company.id)]))

    def test_provisions_are_made_only_by_the_job_or_the_wizard(self):
        self.Snapshot._take_snapshot(date(2024, 1, 31), self.company)
        provision = self._run(date(2024, 1, 31))
        values = {"company_id": self.company.id, "date_from": "2024-02-01",
                  "date": "2024-02-29", "compensation_amount": 1.0}
        for user in (self.finance, self.gadmin):
            with self.assertRaisesExactly(
                UserError, "Reserve provisions are created by the monthly job or the Provision"
            ):
                self.Provision.with_user(user).create(values)
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to modify 'Reserve Provision'"
            ):
                provision.with_user(user).write({"compensation_amount": 1.0})
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to delete 'Reserve Provision'"
            ):
                provision.with_user(user).unlink()
        with self.assertRaisesExactly(
            UserError, "Reserve provisions are created by the monthly job or the Provision Reserves"
        ):
            self.Provision.sudo().create(values)
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to create 'Provision Reserves'"
        ):
            self.env["guarantee.reserve.wizard"].with_user(self.pm_a).create(
                {"date_from": "2024-02-01", "date_to": "2024-02-29"}
            )
        self.assertEqual(provision.compensation_amount, 720_000)

    def test_a_loss_beyond_the_compensation_reserve_goes_to_expense(self):
        self.Snapshot._take_snapshot(date(2026, 1, 31), self.company)
        self._run(date(2026, 1, 31))  # 6% × 12,000,000 = 720,000 of reserve
        reserve = self.company.guarantee_compensation_reserve_account_id
        self.assertEqual(self._reserve(reserve, date(2026, 12, 31)), 720_000)
        project = self._project_in("active", released=1_000_000)
        self._paid_compensation(project, principal=1_000_000, interest=0.0)
        loss = self.env["guarantee.loss"].create({
            "project_id": project.id, "amount": 1_000_000, "reason": "无可执行财产",
            "evidence_ids": [(6, 0, self.evidence.ids)], "date": "2026-08-31",
        })
        loss.with_user(self.finance).action_post()
        self.assertEntry(loss.move_id, [
            (reserve, 720_000, 0.0),
            (self.company.guarantee_reserve_expense_account_id, 280_000, 0.0),
            (self.company.guarantee_compensation_account_id, 0.0, 1_000_000),
        ])
        self.assertEqual(self._reserve(reserve, date(2026, 12, 31)), 0)
