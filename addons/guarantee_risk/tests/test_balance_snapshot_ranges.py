from datetime import date

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import RiskCase, reclassify

D1, D2, D3, D4 = date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31), date(2026, 6, 30)
MID_JUNE = date(2026, 6, 15)


@tagged("at_install")
class TestBalanceSnapshotRanges(RiskCase):
    """The snapshot keeps validity ranges: a run closes and opens rows only for the projects
    whose figures changed, and the rows valid on every day equal a full recomputation of the
    portfolio taken when that day's run was made (expected balances by hand)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["guarantee.balance.snapshot"]
        small = cls._company_partner("区间小型企业", "small")
        other = cls._company_partner("区间另一小型企业", "small")
        medium = cls._company_partner("区间中型企业", "medium")
        # small firm, loan 4,000,000: weighted 75% → 3,000,000
        cls.loan = cls._in_force(small, 4_000_000)
        # another small firm, loan 1,000,000: weighted 75% → 750,000
        cls.loan2 = cls._in_force(other, 1_000_000)
        # non-financing 1,000,000 at own share 50%: balance 500,000, weight 0
        cls.bond = cls._in_force(medium, 1_000_000, "non_financing", own_share=50.0)
        cls.approver = new_test_user(cls.env, "t_range_approver",
                                     groups="guarantee_base.group_guarantee_risk")

    def _recomputed(self):
        """{project: (balance, liability balance, class)} of the company's projects in force
        now, from the projects themselves: what a full snapshot would write."""
        projects = self.env["guarantee.project"].search(
            [("company_id", "=", self.company.id), ("state", "=", "active")]
        )
        return {p: (p.balance, p.liability_balance, p.risk_class) for p in projects}

    def _valid_on(self, day):
        rows = self.Snapshot.search(
            [("company_id", "=", self.company.id)] + self.Snapshot._valid_on_domain(day)
        )
        self.assertEqual(len(rows), len(rows.project_id), "one row per project and day")
        return {r.project_id: (r.balance, r.liability_balance, r.risk_class) for r in rows}

    def _all_rows(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, project_id, date_from, date_to, balance, write_date "
            "FROM guarantee_balance_snapshot WHERE company_id = %s ORDER BY id",
            [self.company.id],
        )
        return self.env.cr.fetchall()

    def _take(self, day):
        self.Snapshot._take_snapshot(day, self.company)
        return self._recomputed()

    def _reclassify(self, project, new_class):
        reclassify(project, new_class, self.risk, self.approver)

    def test_rows_valid_on_each_day_equal_a_full_recomputation(self):
        taken = {D1: self._take(D1)}
        self.assertEqual(taken[D1], {
            self.loan: (4_000_000, 3_000_000, "normal"),
            self.loan2: (1_000_000, 750_000, "normal"),
            self.bond: (500_000, 0, "normal"),
        })
        # a night without changes writes no row
        rows = self._all_rows()
        taken[D2] = self._take(D2)
        self.assertEqual(self._all_rows(), rows)
        self.assertEqual(len(rows), 3)
        # repayment 1,000,000 → 3,000,000 weighted 75% = 2,250,000; reclassification; release
        self.loan._record_repayment(1_000_000, "银行还款通知")
        self._reclassify(self.loan2, "substandard")
        self.bond._do_transition("release")
        taken[D3] = self._take(D3)
        self.assertEqual(taken[D3], {
            self.loan: (3_000_000, 2_250_000, "normal"),
            self.loan2: (1_000_000, 750_000, "substandard"),
        })
        # three rows closed on D3, two opened
        self.assertEqual(len(self._all_rows()), 5)
        # compensation takes loan 2 out of force
        self.loan2._do_transition("compensate")
        taken[D4] = self._take(D4)
        self.assertEqual(taken[D4], {self.loan: (3_000_000, 2_250_000, "normal")})
        # another repayment of 500,000 (2,500,000 → 1,875,000), recorded on a day back-dated
        # between D3 and D4: D4's run still reads what it found
        self.loan._record_repayment(500_000, "银行还款通知")
        taken[MID_JUNE] = self._take(MID_JUNE)
        self.assertEqual(taken[MID_JUNE], {self.loan: (2_500_000, 1_875_000, "normal")})
        # and the night of today sees it
        today = fields.Date.context_today(self.Snapshot)
        taken[today] = self._take(today)
        for day, expected in taken.items():
            with self.subTest(day=day):
                self.assertEqual(self._valid_on(day), expected)
        # a day between runs reads the latest run on or before it
        self.assertEqual(self._valid_on(date(2026, 5, 15)), taken[D2])
        self.assertEqual(self._valid_on(date(2026, 6, 10)), taken[D3])
        self.assertEqual(self.Snapshot._balance_as_of(self.company, date(2026, 5, 15)),
                         (5_500_000, 3_750_000))
        self.assertEqual(self.Snapshot._balance_as_of(self.company, date(2026, 6, 10)),
                         (4_000_000, 3_000_000))
        self.assertEqual(self.Snapshot._balance_as_of(self.company, date(2026, 6, 20)),
                         (2_500_000, 1_875_000))
        self.assertEqual(self.Snapshot._balance_as_of(self.company, D4),
                         (3_000_000, 2_250_000))
        runs = self.env["guarantee.balance.snapshot.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            {run.date: (run.project_count, run.balance, run.liability_balance) for run in runs},
            {D1: (3, 5_500_000, 3_750_000), D2: (3, 5_500_000, 3_750_000),
             D3: (2, 4_000_000, 3_000_000), D4: (1, 3_000_000, 2_250_000),
             MID_JUNE: (1, 2_500_000, 1_875_000), today: (1, 2_500_000, 1_875_000)},
        )

    def test_a_back_dated_run_before_a_later_one_keeps_the_later_days(self):
        self._take(D1)
        self.loan._record_repayment(1_000_000, "银行还款通知")
        self._take(D3)
        # D2, taken after D3 with today's figures: the loan's row of D1 (4,000,000, open until
        # D3) is cut at D2; D3 keeps its own row
        self.bond._do_transition("release")
        taken = self._take(D2)
        self.assertEqual(taken, {
            self.loan: (3_000_000, 2_250_000, "normal"),
            self.loan2: (1_000_000, 750_000, "normal"),
        })
        self.assertEqual(self._valid_on(D1), {
            self.loan: (4_000_000, 3_000_000, "normal"),
            self.loan2: (1_000_000, 750_000, "normal"),
            self.bond: (500_000, 0, "normal"),
        })
        # D3 was taken before the release: the bond is still in force there
        self.assertEqual(self._valid_on(D3), {
            self.loan: (3_000_000, 2_250_000, "normal"),
            self.loan2: (1_000_000, 750_000, "normal"),
            self.bond: (500_000, 0, "normal"),
        })
        self.assertEqual(self._valid_on(D2), taken)
        # running D2 again with nothing changed writes nothing
        rows = self._all_rows()
        self._take(D2)
        self.assertEqual(self._all_rows(), rows)
        # run again after a change: its rows of D2 are replaced, not duplicated
        self._reclassify(self.loan2, "special")
        self.assertEqual(self._take(D2)[self.loan2], (1_000_000, 750_000, "special"))
        self.assertEqual(self._valid_on(D2), {
            self.loan: (3_000_000, 2_250_000, "normal"),
            self.loan2: (1_000_000, 750_000, "special"),
        })
        self.assertEqual(self._valid_on(D3)[self.loan2], (1_000_000, 750_000, "normal"))

    def test_back_fill_before_a_later_run_keeps_that_runs_figures(self):
        today = fields.Date.context_today(self.Snapshot)
        taken_today = self._take(today)
        # the loans were released on 2026-01-01: on 2025-12-31 nothing was in force
        self.env["guarantee.balance.snapshot.run"]._backfill(
            date(2025, 12, 31), date(2026, 1, 1), step="day", companies=self.company
        )
        self.assertEqual(self._valid_on(date(2025, 12, 31)), {})
        self.assertEqual(self._valid_on(today), taken_today)
        self.assertEqual(self._valid_on(date(2026, 1, 1)), taken_today)
