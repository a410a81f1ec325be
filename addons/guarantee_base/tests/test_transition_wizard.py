from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestTransitionWizard(GuaranteeCase):
    """Rejecting or cancelling asks for the reason and records it on the project."""

    def _wizard(self, project, step, user):
        action = project.with_user(user).with_context(guarantee_step=step)
        action = action.action_open_transition_wizard()
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def test_reject_with_reason_from_review(self):
        project = self._create_project()
        project.action_accept()
        project.action_start_investigation()
        project.action_submit_review()
        wizard = self._wizard(project, "reject", self.executive)
        wizard.reason = "反担保不足"
        wizard.save().action_confirm()
        self.assertEqual(project.state, "rejected")
        self.assertEqual(project.reject_reason, "反担保不足")

    def test_cancel_with_reason_by_the_project_manager(self):
        project = self._create_project()
        wizard = self._wizard(project, "cancel", self.pm_a)
        wizard.reason = "客户撤回申请"
        wizard.save().action_confirm()
        self.assertEqual(project.state, "cancelled")
        self.assertEqual(project.cancel_reason, "客户撤回申请")

    def test_blank_reason_is_refused(self):
        project = self._create_project()
        wizard = (
            self.env["guarantee.project.transition.wizard"]
            .with_user(self.pm_a)
            .create({"project_ids": [(6, 0, project.ids)], "step": "cancel", "reason": "   "})
        )
        with self.assertRaisesExactly(
            UserError, "Give the reason for rejecting or cancelling the project"
        ):
            wizard.action_confirm()
        self.assertEqual(project.state, "draft")

    def test_reject_through_the_wizard_keeps_the_gate(self):
        project = self._create_project()
        wizard = (
            self.env["guarantee.project.transition.wizard"]
            .with_user(self.executive)
            .create(
                {"project_ids": [(6, 0, project.ids)], "step": "reject", "reason": "不符合条件"}
            )
        )
        with self.assertRaisesExactly(
            UserError, "The project is Pending Intake; it can become Rejected only from: Under"
        ):
            wizard.action_confirm()
        self.assertEqual(project.state, "draft")
