from collections import defaultdict
from datetime import date, timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.guarantee_risk.tests.common import reclassify

from .common import GuaranteeAccountingCase

MEASURES = (
    "new_count", "new_amount", "released_count", "released_amount", "compensation_count",
    "compensation_amount", "recovery_amount", "loss_amount", "fee_count", "fee_amount",
    "fee_paid_amount",
)
# An independent recomputation, one query per kind of flow, written for this test:
# (measure → (day column, paid-on column, SQL returning key columns and the amount)).
RECOMPUTE = {
    "new": """
        SELECT p.loan_release_date, NULL::date, p.company_id, p.product_id, p.manager_id,
               p.business_type, p.loan_amount_released * p.own_share / 100
          FROM guarantee_project p
         WHERE p.loan_release_date IS NOT NULL AND p.state NOT IN ('cancelled', 'rejected')
    """,
    "released": """
        SELECT p.date_released, NULL::date, p.company_id, p.product_id, p.manager_id,
               p.business_type, p.loan_amount_released * p.own_share / 100
          FROM guarantee_project p WHERE p.date_released IS NOT NULL
    """,
    "compensation": """
        SELECT c.date_paid, NULL::date, p.company_id, p.product_id, p.manager_id,
               p.business_type, c.total
          FROM guarantee_compensation c, guarantee_project p
         WHERE p.id = c.project_id AND c.state = 'paid'
    """,
    "recovery": """
        SELECT r.date, NULL::date, p.company_id, p.product_id, p.manager_id, p.business_type,
               r.amount
          FROM guarantee_recovery r, guarantee_project p
         WHERE p.id = r.project_id AND r.state = 'posted'
    """,
    "loss": """
        SELECT l.date, NULL::date, p.company_id, p.product_id, p.manager_id, p.business_type,
               l.amount
          FROM guarantee_loss l, guarantee_project p
         WHERE p.id = l.project_id AND l.state = 'posted'
    """,
    "fee": """
        SELECT f.date_due, f.date_paid, p.company_id, p.product_id, p.manager_id,
               p.business_type, f.amount,
               CASE WHEN f.state = 'paid' THEN f.amount_paid ELSE 0 END
          FROM guarantee_fee f, guarantee_project p
         WHERE p.id = f.project_id AND f.state <> 'cancelled'
    """,
}


@tagged("post_install", "-at_install")
class TestFlowAggregate(GuaranteeAccountingCase):
    """The day's flows (new, released, compensated, recovered, written off, fees) per company
    and day follow every kind of change in its transaction, equal a recomputation written
    here, and the nightly check repairs a tampered row. Expected figures by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Aggregate = cls.env["guarantee.flow.aggregate"]
        # released 800,000 on 2026-01-05 at own share 100%
        cls.project = cls._project_in("active")

    def _recomputed(self):
        """{key: measures} recomputed from the records by the queries above."""
        self.env.flush_all()
        rows = defaultdict(lambda: [0.0] * len(MEASURES))
        for kind, query in RECOMPUTE.items():
            self.env.cr.execute(query)
            for found in self.env.cr.fetchall():
                row = rows[tuple(found[:6])]
                amount = found[6]
                if kind == "fee":
                    row[8] += 1
                    row[9] += float(amount or 0)
                    row[10] += float(found[7] or 0)
                else:
                    index = MEASURES.index(f"{kind}_amount")
                    row[index] += float(amount or 0)
                    if f"{kind}_count" in MEASURES:
                        row[index - 1] += 1
        return {key: [round(v, 2) for v in row] for key, row in rows.items()}

    def _stored(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT date, date_paid, company_id, product_id, manager_id, business_type, "
            + ", ".join(MEASURES) + " FROM guarantee_flow_aggregate"
        )
        return {
            tuple(row[:6]): [round(float(v or 0), 2) for v in row[6:]]
            for row in self.env.cr.fetchall()
        }

    def assertRecomputed(self):
        self.assertEqual(self._stored(), self._recomputed())

    def _day(self, day, **filters):
        """{measure: total} of the company's rows of ``day``."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT " + ", ".join(f"COALESCE(SUM({m}), 0)" for m in MEASURES)
            + " FROM guarantee_flow_aggregate WHERE company_id = %s AND date = %s",
            (self.company.id, day),
        )
        return {
            measure: float(value)
            for measure, value in zip(MEASURES, self.env.cr.fetchone(), strict=True)
            if value
        }

    def test_a_project_released_by_the_bank_is_new_on_its_release_day(self):
        self.assertEqual(self._day(date(2026, 1, 5)), {"new_count": 1, "new_amount": 800_000.0})
        # own share 60% of 500,000 released on 2026-01-05: 300,000 more
        self._project_in("active", released=500_000.0, own_share=60.0)
        self.assertEqual(self._day(date(2026, 1, 5)),
                         {"new_count": 2, "new_amount": 1_100_000.0})
        self.assertRecomputed()

    def test_a_corrected_release_date_moves_the_flow_to_its_day(self):
        # locked once in force: corrected on a project not yet activated
        draft = self._project_in("draft")
        draft.write({"loan_release_date": "2026-01-05", "loan_amount_released": 100_000})
        draft.write({"loan_release_date": "2026-01-07"})
        self.assertEqual(self._day(date(2026, 1, 5)), {"new_count": 1, "new_amount": 800_000.0})
        self.assertEqual(self._day(date(2026, 1, 7)), {"new_count": 1, "new_amount": 100_000.0})
        self.assertRecomputed()

    def test_transition_release_and_cancel(self):
        today = fields.Date.today()
        self.project.action_release(today)
        self.assertEqual(self._day(today).get("released_amount"), 800_000.0)
        # a project cancelled before activation is not new (none here), nor after
        draft = self._project_in("draft")
        draft.write({"loan_release_date": "2026-02-01", "loan_amount_released": 100_000})
        self.assertEqual(self._day(date(2026, 2, 1)), {"new_count": 1, "new_amount": 100_000.0})
        draft._do_transition("cancel")
        self.assertEqual(self._day(date(2026, 2, 1)), {})
        self.assertRecomputed()

    def test_repayment_and_reclassification_leave_the_flows_as_recomputed(self):
        self.project._record_repayment(300_000, "银行还款通知")
        approver = new_test_user(self.env, "t_risk_flow_approver",
                                 groups="guarantee_base.group_guarantee_risk")
        reclassify(self.project, "substandard", self.risk, approver)
        self.assertEqual(self._day(date(2026, 1, 5)), {"new_count": 1, "new_amount": 800_000.0})
        self.assertRecomputed()

    def test_compensation_recovery_and_loss_on_their_days(self):
        today = fields.Date.today()
        compensation = self._paid_compensation(self.project)  # 500,000 + 12,000 interest
        self.assertEqual(compensation.date_paid, today)
        self.env["guarantee.recovery"].create(
            {"project_id": self.project.id, "kind": "cash", "amount": 200_000.0,
             "date": today - timedelta(days=1)}
        ).action_post()
        self.env["guarantee.loss"].create({
            "project_id": self.project.id, "amount": 12_000.0, "reason": "利息部分无法收回",
            "evidence_ids": [(6, 0, self.evidence.ids)], "date": today,
        }).action_post()
        self.assertEqual(self._day(today), {
            "compensation_count": 1, "compensation_amount": 512_000.0, "loss_amount": 12_000.0,
        })
        self.assertEqual(self._day(today - timedelta(days=1)), {"recovery_amount": 200_000.0})
        self.assertRecomputed()

    def test_fees_due_and_paid(self):
        Fee = self.env["guarantee.fee"]
        fees = Fee.create([
            {"project_id": self.project.id, "date_from": "2026-01-05", "date_to": "2026-07-04",
             "date_due": "2026-01-05", "amount": 6_000.0},
            {"project_id": self.project.id, "date_from": "2026-07-05", "date_to": "2027-01-04",
             "date_due": "2026-07-05", "amount": 6_000.0},
        ])
        fees[0].action_mark_paid(date(2026, 1, 10))
        self.assertEqual(self._day(date(2026, 1, 5)), {
            "new_count": 1, "new_amount": 800_000.0, "fee_count": 1, "fee_amount": 6_000.0,
            "fee_paid_amount": 6_000.0,
        })
        self.env.cr.execute(
            "SELECT date_paid FROM guarantee_flow_aggregate WHERE date = '2026-01-05' "
            "AND fee_count = 1"
        )
        self.assertEqual(self.env.cr.fetchall(), [(date(2026, 1, 10),)])
        self.assertEqual(self._day(date(2026, 7, 5)), {"fee_count": 1, "fee_amount": 6_000.0})
        fees[1].unlink()
        self.assertEqual(self._day(date(2026, 7, 5)), {})
        self.assertRecomputed()

    def test_a_new_product_moves_the_projects_flows_to_its_row(self):
        other = self.product.copy({"name": "流动资金贷款担保（二）", "code": "T-LOAN-2"})
        draft = self._project_in("draft")
        draft.write({"loan_release_date": "2026-02-02", "loan_amount_released": 100_000})
        self.env["guarantee.fee"].create({
            "project_id": draft.id, "date_from": "2026-02-02", "date_to": "2027-02-01",
            "date_due": "2026-02-03", "amount": 1_500.0,
        })
        draft.product_id = other
        self.env.cr.execute(
            "SELECT date, product_id, new_amount, fee_amount FROM guarantee_flow_aggregate "
            "WHERE date IN ('2026-02-02', '2026-02-03') ORDER BY date"
        )
        self.assertEqual(self.env.cr.fetchall(), [
            (date(2026, 2, 2), other.id, 100_000.0, 0.0),
            (date(2026, 2, 3), other.id, 0.0, 1_500.0),
        ])
        self.assertRecomputed()

    def test_back_dated_snapshot_rewrites_its_days_flows(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        self.project.action_release(yesterday)
        # written behind the ORM: the snapshot job of that day puts the day right
        self.env.cr.execute("DELETE FROM guarantee_flow_aggregate WHERE date = %s", [yesterday])
        self.env["guarantee.balance.snapshot"]._take_snapshot(yesterday, self.company)
        self.assertEqual(self._day(yesterday),
                         {"released_count": 1, "released_amount": 800_000.0})
        self.assertRecomputed()

    def test_nightly_check_repairs_a_tampered_row_and_tells_the_administrators(self):
        self.env.cr.execute(
            "UPDATE guarantee_flow_aggregate SET new_amount = new_amount + 1 "
            "WHERE date = '2026-01-05'"
        )
        self.env.cr.execute(
            "INSERT INTO guarantee_flow_aggregate (date, company_id, recovery_amount) "
            "VALUES ('2026-03-01', %s, 99)", [self.company.id]
        )
        with self.assertLogs(
            "odoo.addons.guarantee_accounting.models.guarantee_flow_aggregate", level="ERROR"
        ):
            differences = self.Aggregate._cron_verify()
        self.assertEqual({key[0] for key in differences}, {date(2026, 1, 5), date(2026, 3, 1)})
        self.assertEqual(self._day(date(2026, 1, 5)), {"new_count": 1, "new_amount": 800_000.0})
        self.assertEqual(self._day(date(2026, 3, 1)), {})
        self.assertTrue(self.env["mail.activity"].search(
            [("summary", "=", "Flow aggregates rebuilt"),
             ("res_id", "=", self.company.partner_id.id)]))
        self.assertRecomputed()
        self.assertEqual(self.Aggregate._cron_verify(), [])
