from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import GuaranteeAccountingCase


@tagged("at_install")
class TestCompensationWorkflow(GuaranteeAccountingCase):
    def _draft(self, project):
        return self.env["guarantee.compensation"].with_user(self.finance).create({
            "project_id": project.id, "principal": 300000.0, "interest": 4500.0,
            "demand_date": "2026-07-01",
        })

    def test_only_a_project_in_force_can_be_compensated(self):
        with self.assertRaisesExactly(
            ValidationError, r"Only a project in force can be compensated \("
        ):
            self._draft(self._project_in("contracted"))
        compensation = self._draft(self._project_in("active"))
        self.assertEqual(compensation.total, 304500.0)

    def test_approval_waits_for_the_executive_tier(self):
        compensation = self._draft(self._project_in("active"))
        compensation.with_user(self.finance).action_approve()
        self.assertEqual(compensation.state, "draft", "the first call requests the tiers")
        self.assertEqual(compensation.review_ids.reviewer_group_id,
                         self.env.ref("guarantee_base.group_guarantee_executive"))
        with self.assertRaisesExactly(UserError, "waits for its approval tiers"):
            compensation.with_user(self.finance).action_approve()
        with self.assertRaisesExactly(
            ValidationError, "A validation process is still open for at least one record"
        ):
            compensation.with_user(self.finance).write({"state": "approved"})
        compensation.with_user(self.executive).validate_tier()
        compensation.with_user(self.finance).action_approve()
        self.assertEqual(compensation.state, "approved")

    def test_payment_order_needs_approval_and_is_created_once(self):
        compensation = self._draft(self._project_in("active"))
        with self.assertRaisesExactly(
            UserError, "The compensation must be approved before paying the bank"
        ):
            compensation.action_create_payment_order()
        compensation = self._approved_compensation(self._project_in("active"))
        action = compensation.with_user(self.finance).action_create_payment_order()
        order = self.env["guarantee.payment.order"].browse(action["res_id"])
        self.assertEqual(order.partner_id, self.bank)
        self.assertEqual(order.partner_bank_id, self.bank_account)
        self.assertEqual(order.amount, 512000.0)
        self.assertTrue(order.name.startswith("FK"))
        self.assertEqual(len(order.request_id), 32)
        with self.assertRaisesExactly(UserError, "it is resolved with the bank, never replaced"):
            compensation.action_create_payment_order()

    def test_paid_compensation_puts_the_project_in_compensated(self):
        project = self._project_in("active")
        compensation = self._paid_compensation(project)
        self.assertEqual(project.state, "compensated")
        self.assertEqual(project.compensation_amount, 512000.0)
        self.assertEqual(compensation.move_id.guarantee_project_id, project)
        self.assertEqual(project.state_log_ids.sorted("id")[-1].state, "compensated")

    def test_close_is_refused_while_compensation_receivable_is_open(self):
        project = self._project_in("active")
        self._paid_compensation(project)
        self.env["guarantee.recovery"].create(
            {"project_id": project.id, "kind": "cash", "amount": 500000.0}
        ).action_post()
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d+:\n - The compensation receivable of "
            r"12000\.0 is still open: record recoveries or write the loss off first\.$",
        ):
            project.with_user(self.executive).action_close()
        self.assertEqual(project.state, "compensated")
        self.env["guarantee.loss"].create({
            "project_id": project.id, "amount": 12000.0, "reason": "利息部分无法收回",
            "evidence_ids": [(6, 0, self.evidence.ids)],
        }).action_post()
        project.with_user(self.executive).action_close()
        self.assertEqual(project.state, "closed")

    def test_recovery_is_recorded_only_on_a_compensated_project(self):
        recovery = self.env["guarantee.recovery"].create(
            {"project_id": self._project_in("active").id, "kind": "cash", "amount": 10.0}
        )
        with self.assertRaisesExactly(
            UserError, r"Recoveries are recorded on a compensated project \("
        ):
            recovery.action_post()
        with self.assertRaisesExactly(
            ValidationError, "Select the collateral that was disposed of"
        ):
            self.env["guarantee.recovery"].create({
                "project_id": self._project_in("active").id, "kind": "collateral_disposal",
                "amount": 10.0,
            })

    def test_cancelled_compensation_frees_its_draft_order(self):
        compensation = self._approved_compensation(self._project_in("active"))
        compensation.action_create_payment_order()
        compensation.with_user(self.finance).action_cancel()
        self.assertEqual(compensation.state, "cancelled")
        self.assertFalse(compensation.payment_order_ids)

    def test_roles_finance_writes_executive_reads_manager_reads_own(self):
        own = self._paid_compensation(self._project_in("active"))
        other = self._paid_compensation(self._project_in("active", manager_id=self.pm_other.id,
                                                         assistant_id=self.pm_b.id))
        Compensation = self.env["guarantee.compensation"]
        visible = Compensation.with_user(self.pm_other).search([("id", "in", (own | other).ids)])
        self.assertEqual(visible, other, "a project manager sees own projects' compensation")
        with self.assertRaisesExactly(
            AccessError, r"You are not allowed to modify 'Compensation' \(guarantee\.compensation\)"
        ):
            other.with_user(self.pm_other).write({"note": "x"})
        self.assertEqual(len(Compensation.with_user(self.executive).search(
            [("id", "in", (own | other).ids)])), 2)
        with self.assertRaisesExactly(
            AccessError, r"You are not allowed to modify 'Compensation' \(guarantee\.compensation\)"
        ):
            own.with_user(self.executive).write({"note": "x"})
        with self.assertRaisesExactly(UserError, "is Paid and can no longer be changed"):
            own.with_user(self.finance).write({"note": "已付款"})
        approved = self._approved_compensation(self._project_in("active"))
        approved.with_user(self.finance).write({"note": "待付款"})
        self.assertEqual(approved.note, "待付款")
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to access 'Payment Order'"
        ):
            self.env["guarantee.payment.order"].with_user(self.pm_a).search([])

    def test_records_of_another_company_are_invisible(self):
        compensation = self._paid_compensation(self._project_in("active"))
        other_company = self.env["res.company"].create({"name": "另一担保公司"})
        self.finance.write({"company_ids": [(4, other_company.id)], "company_id": other_company.id})
        found = self.env["guarantee.compensation"].with_user(self.finance).with_context(
            allowed_company_ids=other_company.ids).search([("id", "=", compensation.id)])
        self.assertFalse(found)
