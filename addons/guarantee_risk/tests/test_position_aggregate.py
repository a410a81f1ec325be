from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import RiskCase, reclassify


@tagged("at_install")
class TestPositionAggregate(RiskCase):
    """Today's aggregates follow every kind of change in its transaction and equal a full
    recomputation; the snapshot job writes a day's rows; the nightly check repairs a tampered
    row. Expected figures are worked out by hand in each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jiangsu = cls.env.ref("base.state_cn_JS")
        cls.zhejiang = cls.env.ref("base.state_cn_ZJ")
        cls.small = cls._company_partner("南京聚合小微有限公司", "small", state_id=cls.jiangsu.id)
        cls.large = cls._company_partner("南京聚合大型有限公司", "large", state_id=cls.jiangsu.id)
        # small borrower, loan 1,000,000 ≤ 5,000,000 in total: weighted 75% → 750,000
        cls.p1 = cls._in_force(cls.small, 1_000_000)
        # housing 2,000,000 weighted 30% → 600,000
        cls.p2 = cls._in_force(cls.large, 2_000_000, "housing")
        cls.Aggregate = cls.env["guarantee.position.aggregate"]

    def _rows(self, date=None, key=("weight_category", "risk_class")):
        """{key: (count, balance, liability)} of the company's rows of ``date`` (today)."""
        self.env.flush_all()
        columns = ", ".join(key)
        self.env.cr.execute(
            f"SELECT {columns}, SUM(project_count), SUM(balance), SUM(liability_balance) "
            "FROM guarantee_position_aggregate WHERE company_id = %s "
            f"AND date IS NOT DISTINCT FROM %s GROUP BY {columns}",
            (self.company.id, date),
        )
        return {
            row[:-3] if len(key) > 1 else row[0]: (row[-3], float(row[-2]), float(row[-1]))
            for row in self.env.cr.fetchall()
        }

    def assertVerified(self):
        self.assertEqual(self.Aggregate._cron_verify(), [], "differs from a recomputation")

    def test_projects_in_force_are_in_todays_rows(self):
        self.assertEqual(self._rows(), {
            ("loan_75", "normal"): (1, 1_000_000.0, 750_000.0),
            ("housing_30", "normal"): (1, 2_000_000.0, 600_000.0),
        })
        self.assertVerified()

    def test_a_created_project_counts_once_it_is_in_force(self):
        draft = self._project(self.small, 500_000)
        self.assertEqual(self._rows()[("loan_75", "normal")], (1, 1_000_000.0, 750_000.0))
        draft.write({"loan_release_date": "2026-01-01", "loan_amount_released": 500_000})
        draft._unlocked(history=True)._do_transition("activate")
        # 1,500,000 in total for the small borrower, still 75%: 1,125,000
        self.assertEqual(self._rows()[("loan_75", "normal")], (2, 1_500_000.0, 1_125_000.0))
        self.assertVerified()

    def test_release_takes_the_project_out(self):
        self.p2._do_transition("release", {"date_released": fields.Date.today()})
        self.assertEqual(self._rows(), {("loan_75", "normal"): (1, 1_000_000.0, 750_000.0)})
        self.assertVerified()

    def test_repayment_lowers_balance_and_liability(self):
        self.p1._record_repayment(400_000, "银行还款通知")
        # 600,000 outstanding at 75%: 450,000
        self.assertEqual(self._rows()[("loan_75", "normal")], (1, 600_000.0, 450_000.0))
        self.assertVerified()

    def test_reclassification_moves_the_project_to_its_class(self):
        # four eyes: another risk officer approves the proposal
        approver = new_test_user(self.env, "t_risk_approver",
                                 groups="guarantee_base.group_guarantee_risk")
        reclassify(self.p1, "substandard", self.risk, approver)
        self.assertEqual(self.p1.risk_class, "substandard")
        self.assertEqual(self._rows(), {
            ("loan_75", "substandard"): (1, 1_000_000.0, 750_000.0),
            ("housing_30", "normal"): (1, 2_000_000.0, 600_000.0),
        })
        self.assertVerified()

    def test_compensation_state_takes_the_project_out(self):
        self.p1._do_transition("compensate")
        self.assertEqual(self._rows(), {("housing_30", "normal"): (1, 2_000_000.0, 600_000.0)})
        self.assertVerified()

    def test_a_borrower_moving_province_moves_its_projects(self):
        self.small.state_id = self.zhejiang
        self.assertEqual(self._rows(key=("region_id",)), {
            self.zhejiang.id: (1, 1_000_000.0, 750_000.0),
            self.jiangsu.id: (1, 2_000_000.0, 600_000.0),
        })
        self.assertVerified()

    def test_back_dated_snapshot_writes_the_rows_of_its_day(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        self.env["guarantee.balance.snapshot"]._take_snapshot(yesterday, self.company)
        self.p1._record_repayment(400_000, "银行还款通知")
        self.assertEqual(self._rows(yesterday), {
            ("loan_75", "normal"): (1, 1_000_000.0, 750_000.0),
            ("housing_30", "normal"): (1, 2_000_000.0, 600_000.0),
        })
        # taken again for the same day: replaced, not added
        self.env["guarantee.balance.snapshot"]._take_snapshot(yesterday, self.company)
        self.assertEqual(self._rows(yesterday)[("loan_75", "normal")], (1, 600_000.0, 450_000.0))
        self.assertVerified()

    def test_nightly_check_repairs_a_tampered_row_and_tells_the_administrators(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        self.env["guarantee.balance.snapshot"]._take_snapshot(yesterday, self.company)
        self.env.cr.execute(
            "UPDATE guarantee_position_aggregate SET balance = balance + 1 "
            "WHERE company_id = %s AND business_type = 'housing'",
            [self.company.id],
        )
        with self.assertLogs(
            "odoo.addons.guarantee_risk.models.guarantee_position_aggregate", level="ERROR"
        ):
            differences = self.Aggregate._cron_verify()
        self.assertEqual(len(differences), 2)  # today's housing row and yesterday's
        self.assertEqual({date for date, _key in differences}, {False, yesterday})
        self.assertEqual(self._rows()[("housing_30", "normal")], (1, 2_000_000.0, 600_000.0))
        self.assertEqual(self._rows(yesterday)[("housing_30", "normal")],
                         (1, 2_000_000.0, 600_000.0))
        self.assertTrue(self.env["mail.activity"].search(
            [("summary", "=", "Portfolio aggregates rebuilt"),
             ("res_id", "=", self.company.partner_id.id)]))
        self.assertVerified()


# An independent recomputation of the concentration rows, written for the tests: per company,
# borrower key (USCC, else the partner) and related group, the financing balances in force.
PARTIES_NOW = """
    SELECT p.company_id, 'party', COALESCE(NULLIF(r.uscc, ''), 'partner-' || r.id),
           SUM(p.balance), SUM(p.liability_balance)
      FROM guarantee_project p JOIN res_partner r ON r.id = p.partner_id
     WHERE p.state = 'active' AND p.active AND p.business_type <> 'non_financing'
  GROUP BY 1, 3
     UNION ALL
    SELECT p.company_id, 'group', r.related_group_id::text, SUM(p.balance),
           SUM(p.liability_balance)
      FROM guarantee_project p JOIN res_partner r ON r.id = p.partner_id
     WHERE p.state = 'active' AND p.active AND p.business_type <> 'non_financing'
       AND r.related_group_id IS NOT NULL
  GROUP BY 1, 3
"""


@tagged("at_install")
class TestPositionParty(RiskCase):
    """Today's rows per borrower and related group (the ten largest that the regulatory
    figures show) follow every kind of change and equal a recomputation written here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group = cls.env["guarantee.related.group"].create(
            {"name": "聚合测试集团", "company_id": cls.company.id})
        cls.small = cls._company_partner("南京集中度小微有限公司", "small")
        cls.other = cls._company_partner("南京集中度其他有限公司", "large")
        # small borrower, loan 1,000,000: weighted 75% → 750,000
        cls.p1 = cls._in_force(cls.small, 1_000_000)

    def _stored(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT company_id, kind, key, balance, liability_balance "
            "FROM guarantee_position_party WHERE date IS NULL"
        )
        return sorted((c, k, key, float(b), float(lb)) for c, k, key, b, lb in
                      self.env.cr.fetchall())

    def assertRecomputed(self):
        stored = self._stored()
        self.env.cr.execute(PARTIES_NOW)
        self.assertEqual(stored, sorted(
            (c, k, key, float(b), float(lb)) for c, k, key, b, lb in self.env.cr.fetchall()))

    def _row(self, kind, key):
        return [row[3:] for row in self._stored()
                if row[0] == self.company.id and row[1] == kind and row[2] == key]

    def test_created_repaid_and_released_projects_move_their_borrower(self):
        self.assertEqual(self._row("party", self.small.uscc), [(1_000_000.0, 750_000.0)])
        p2 = self._in_force(self.small, 500_000)
        # 1,500,000 for the small borrower, still 75%: 1,125,000
        self.assertEqual(self._row("party", self.small.uscc), [(1_500_000.0, 1_125_000.0)])
        self.p1._record_repayment(400_000, "银行还款通知")
        self.assertEqual(self._row("party", self.small.uscc), [(1_100_000.0, 825_000.0)])
        p2._do_transition("release", {"date_released": fields.Date.today()})
        self.assertEqual(self._row("party", self.small.uscc), [(600_000.0, 450_000.0)])
        self.assertRecomputed()

    def test_a_borrower_joining_a_group_and_changing_uscc(self):
        self.small.related_group_id = self.group
        self.assertEqual(self._row("group", str(self.group.id)), [(1_000_000.0, 750_000.0)])
        old_key = self.small.uscc
        self.small.uscc = False
        self.assertEqual(self._row("party", old_key), [])
        self.assertEqual(self._row("party", f"partner-{self.small.id}"),
                         [(1_000_000.0, 750_000.0)])
        self.assertRecomputed()

    def test_a_project_moved_to_another_applicant_before_it_is_in_force(self):
        draft = self._project(self.small, 300_000)
        draft.partner_id = self.other
        draft.write({"loan_release_date": "2026-01-01", "loan_amount_released": 300_000})
        draft._unlocked(history=True)._do_transition("activate")
        # large borrower: 100%
        self.assertEqual(self._row("party", self.other.uscc), [(300_000.0, 300_000.0)])
        self.assertEqual(self._row("party", self.small.uscc), [(1_000_000.0, 750_000.0)])
        self.assertRecomputed()

    def test_snapshot_writes_the_days_rows_and_the_nightly_check_repairs_them(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        self.env["guarantee.balance.snapshot"]._take_snapshot(yesterday, self.company)
        self.env.cr.execute(
            "SELECT key, balance, liability_balance FROM guarantee_position_party "
            "WHERE date = %s AND company_id = %s AND kind = 'party'",
            [yesterday, self.company.id])
        rows = self.env.cr.fetchall()
        self.assertEqual(rows, [(self.small.uscc, 1_000_000.0, 750_000.0)])
        self.env.cr.execute(
            "UPDATE guarantee_position_party SET liability_balance = 1 WHERE key = %s",
            [self.small.uscc])
        with self.assertLogs(
            "odoo.addons.guarantee_risk.models.guarantee_position_aggregate", level="ERROR"
        ):
            differences = self.env["guarantee.position.aggregate"]._cron_verify()
        self.assertEqual({date for date, _key in differences}, {False, yesterday})
        self.assertEqual(self._row("party", self.small.uscc), [(1_000_000.0, 750_000.0)])
        self.assertRecomputed()
