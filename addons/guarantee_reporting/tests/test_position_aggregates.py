from odoo.tests import tagged

from .common import GuaranteeReportingCase


@tagged("post_install", "-at_install")
class TestPositionAggregatesGolden(GuaranteeReportingCase):
    """The portfolio aggregates the dashboard reads, on the fixed portfolio after its
    activations, release, reclassification, compensation, recovery and write-off, and the
    snapshot of D0. Figures by hand from the fixture (common.py)."""

    def _rows(self, date=None):
        """{weight category: (count, balance, liability)} of pm_gold's rows of ``date``."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT weight_category, SUM(project_count), SUM(balance), SUM(liability_balance) "
            "FROM guarantee_position_aggregate WHERE company_id = %s AND manager_id = %s "
            "AND date IS NOT DISTINCT FROM %s GROUP BY 1",
            (self.company.id, self.pm_gold.id, date),
        )
        return {row[0]: (row[1], float(row[2]), float(row[3])) for row in self.env.cr.fetchall()}

    def test_todays_rows_leave_out_the_released_and_the_compensated(self):
        rows = self._rows()
        # A 3,000,000 + F 1,234,567.89 + N 800,000 at 75%: 2,250,000 + 925,925.92 + 600,000
        self.assertEqual(rows["loan_75"], (3, 5_034_567.89, 3_775_925.92))
        # B 4,000,000 at own share 50%, a large borrower: 100%
        self.assertEqual(rows["loan_100"], (1, 2_000_000.0, 2_000_000.0))
        self.assertEqual(rows["bond_80"], (1, 10_000_000.0, 8_000_000.0))  # C, rated AA
        self.assertEqual(rows["housing_30"], (1, 1_000_000.0, 300_000.0))  # D
        self.assertEqual(rows["non_financing"][:2], (1, 500_000.0))  # E
        self.assertEqual(set(rows), {"loan_75", "loan_100", "bond_80", "housing_30",
                                     "non_financing"})
        self.assertEqual(self.env["guarantee.position.aggregate"]._cron_verify(), [])

    def test_the_snapshot_of_d0_has_its_own_rows(self):
        rows = self._rows(self.d0)
        # before the period: A and F at 75%; B, R 2,000,000 and K 1,500,000 at 100%; no N
        self.assertEqual(rows["loan_75"], (2, 4_234_567.89, 3_175_925.92))
        self.assertEqual(rows["loan_100"], (3, 5_500_000.0, 5_500_000.0))

    def test_a_recovery_leaves_the_position_as_it_was(self):
        before = self._rows()
        recovery = self.env["guarantee.recovery"].create(
            {"project_id": self.k.id, "kind": "cash", "amount": 50_000}
        )
        recovery.with_user(self.finance).action_post()
        self.assertEqual(self._rows(), before)
        self.assertEqual(self.env["guarantee.position.aggregate"]._cron_verify(), [])

    def test_the_substandard_project_is_in_the_npl_rows(self):
        self.env.cr.execute(
            "SELECT SUM(project_count), SUM(balance) FROM guarantee_position_aggregate "
            "WHERE company_id = %s AND manager_id = %s AND date IS NULL "
            "AND risk_class = 'substandard'",
            (self.company.id, self.pm_gold.id),
        )
        self.assertEqual(self.env.cr.fetchone(), (1, 2_000_000))  # B
