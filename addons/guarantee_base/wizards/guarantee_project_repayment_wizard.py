from odoo import _, fields, models
from odoo.exceptions import AccessError


class GuaranteeProjectRepaymentWizard(models.TransientModel):
    """Finance records a principal repayment by hand, saying why (no bank notice came)."""

    _name = "guarantee.project.repayment.wizard"
    _description = "Record a Principal Repayment"

    project_id = fields.Many2one("guarantee.project", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="project_id.currency_id")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Text(
        required=True, help="The bank's confirmation or voucher this repayment is based on."
    )

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("guarantee_base.group_guarantee_finance"):
            raise AccessError(_("Only finance records repayments by hand."))
        self.project_id._record_repayment(self.amount, self.reason, self.date)
        return {"type": "ir.actions.act_window_close"}
