from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RiskCase


@tagged("at_install")
class TestBalanceSnapshot(RiskCase):
    """The daily snapshot records the portfolio in force, once per day, and past balances are
    read from the latest snapshot on or before a date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["guarantee.balance.snapshot"]
        cls.small = cls._company_partner("快照小型企业", "small")
        cls.medium = cls._company_partner("快照中型企业", "medium")
        # small firm, loan 4,000,000: weighted 75% = 3,000,000
        cls.loan = cls._in_force(cls.small, 4_000_000)
        # medium firm, non-financing 1,000,000 at own share 50%: balance 500,000, weight 0
        cls.bid_bond = cls._in_force(cls.medium, 1_000_000, "non_financing", own_share=50.0)
        cls.pending = cls._in_review(cls.medium, 9_000_000)

    def _rows(self, day):
        return self.Snapshot.search(
            [("company_id", "=", self.company.id)] + self.Snapshot._valid_on_domain(day)
        )

    def test_snapshot_keeps_each_project_in_force_with_its_balances(self):
        self.Snapshot._take_snapshot(date(2026, 3, 31), self.company)
        rows = self._rows(date(2026, 3, 31))
        self.assertEqual(rows.project_id, self.loan | self.bid_bond)
        loan_row = rows.filtered(lambda row: row.project_id == self.loan)
        self.assertEqual(loan_row.balance, 4_000_000)
        self.assertEqual(loan_row.liability_balance, 3_000_000)
        self.assertEqual(loan_row.partner_id, self.small)
        self.assertEqual(loan_row.business_type, "loan")
        self.assertEqual(loan_row.state, "active")
        self.assertEqual(loan_row.creditor_id, self.bank)
        self.assertEqual(loan_row.manager_id, self.pm_a)
        bond_row = rows - loan_row
        self.assertEqual((bond_row.balance, bond_row.liability_balance), (500_000, 0))
        run = self.env["guarantee.balance.snapshot.run"].search(
            [("company_id", "=", self.company.id), ("date", "=", "2026-03-31")]
        )
        self.assertEqual((run.project_count, run.balance, run.liability_balance),
                         (2, 4_500_000, 3_000_000))

    def test_running_twice_a_day_replaces_the_rows_of_that_day(self):
        day = date(2026, 4, 30)
        self.Snapshot._take_snapshot(day, self.company)
        self.Snapshot._take_snapshot(day, self.company)
        self.assertEqual(len(self._rows(day)), 2)
        self.bid_bond._do_transition("release")
        self.loan._record_repayment(1_000_000, "银行还款通知")
        self.Snapshot._take_snapshot(day, self.company)
        rows = self._rows(day)
        self.assertEqual(rows.project_id, self.loan)
        self.assertEqual((rows.balance, rows.liability_balance), (3_000_000, 2_250_000))

    def test_balance_as_of_a_date_is_read_from_the_latest_snapshot_before_it(self):
        self.Snapshot._take_snapshot(date(2026, 1, 31), self.company)
        self.loan._record_repayment(2_000_000, "银行还款通知")
        self.Snapshot._take_snapshot(date(2026, 2, 28), self.company)
        self.assertEqual(
            self.Snapshot._balance_as_of(self.company, date(2026, 2, 27)), (4_500_000, 3_000_000)
        )
        self.assertEqual(
            self.Snapshot._balance_as_of(self.company, date(2026, 2, 28)), (2_500_000, 1_500_000)
        )
        self.assertEqual(
            self.Snapshot._balance_as_of(self.company, date(2026, 6, 30)), (2_500_000, 1_500_000)
        )
        self.assertEqual(self.Snapshot._as_of(self.company, date(2026, 2, 27)).project_id,
                         self.loan | self.bid_bond)
        with self.assertRaisesExactly(
            UserError,
            r"^No balance snapshot of 测试融资担保有限公司 exists on or before 2026-01-30\.$",
        ):
            self.Snapshot._balance_as_of(self.company, date(2026, 1, 30))

    def test_a_day_with_nothing_in_force_reads_zero_not_an_older_day(self):
        self.Snapshot._take_snapshot(date(2026, 5, 31), self.company)
        (self.loan | self.bid_bond)._do_transition("release")
        self.Snapshot._take_snapshot(date(2026, 6, 30), self.company)
        self.assertFalse(self._rows(date(2026, 6, 30)))
        self.assertEqual(self.Snapshot._balance_as_of(self.company, date(2026, 7, 15)), (0, 0))

    def test_snapshot_groups_by_report_keys(self):
        self.Snapshot._take_snapshot(date(2026, 3, 31), self.company)
        groups = dict(
            self.Snapshot._read_group_as_of(
                self.company, date(2026, 3, 31), ["business_type"], ["balance:sum"]
            )
        )
        self.assertEqual(groups, {"loan": 4_000_000, "non_financing": 500_000})

    def test_other_companies_are_not_in_the_snapshot_of_a_company(self):
        self.Snapshot._take_snapshot(date(2026, 3, 31), self.company)
        rows = self.Snapshot.sudo().search(self.Snapshot._valid_on_domain(date(2026, 3, 31)))
        self.assertEqual(rows.company_id, self.company)

    def test_a_future_date_is_refused(self):
        with self.assertRaisesExactly(
            UserError,
            r"^A balance snapshot cannot be taken for a future date\.$",
        ):
            self.Snapshot._take_snapshot(date.today() + timedelta(days=2), self.company)

    def test_nobody_writes_snapshots_through_the_orm(self):
        self.Snapshot._take_snapshot(date(2026, 3, 31), self.company)
        # the loan's row: the rows of one run have no order of their own
        row = self._rows(date(2026, 3, 31)).filtered(lambda r: r.project_id == self.loan)
        for user in (self.pm_a, self.risk, self.finance, self.executive, self.gadmin):
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to modify 'Daily Balance Snapshot'"
            ):
                row.with_user(user).write({"balance": 1})
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to create 'Daily Balance Snapshot'"
            ):
                self.Snapshot.with_user(user).create(
                    {"date_from": "2026-03-30", "project_id": self.loan.id,
                     "company_id": self.company.id}
                )
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to delete 'Daily Balance Snapshot'"
            ):
                row.with_user(user).unlink()
        self.assertEqual(row.balance, 4_000_000)

    def test_project_managers_see_only_their_own_projects_rows(self):
        other = self._in_force(self.medium, 700_000, manager_id=self.pm_other.id,
                               assistant_id=False)
        self.Snapshot._take_snapshot(date(2026, 3, 31), self.company)
        day = self.Snapshot._valid_on_domain(date(2026, 3, 31))
        seen = self.Snapshot.with_user(self.pm_a).search(day)
        self.assertEqual(seen.project_id, self.loan | self.bid_bond)
        seen = self.Snapshot.with_user(self.risk).search(day)
        self.assertEqual(seen.project_id, self.loan | self.bid_bond | other)
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to access 'Daily Balance Snapshot Run'"
        ):
            self.env["guarantee.balance.snapshot.run"].with_user(self.committee).search([])
