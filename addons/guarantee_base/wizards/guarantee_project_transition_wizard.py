from odoo import _, fields, models
from odoo.exceptions import UserError


class GuaranteeProjectTransitionWizard(models.TransientModel):
    """Ask for the reason before rejecting or cancelling projects."""

    _name = "guarantee.project.transition.wizard"
    _description = "Reject or Cancel Guarantee Projects"

    project_ids = fields.Many2many("guarantee.project", string="Projects", required=True)
    step = fields.Selection(
        [("reject", "Reject"), ("cancel", "Cancel")], required=True, default="reject"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason for rejecting or cancelling the project."))
        if self.step == "reject":
            self.project_ids.action_reject(self.reason)
        else:
            self.project_ids.action_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
