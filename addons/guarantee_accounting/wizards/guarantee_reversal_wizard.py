from odoo import _, api, fields, models
from odoo.exceptions import UserError

# The records whose posted entry is reversed (or invoice credited) when they are cancelled.
REVERSIBLE_MODELS = [
    ("guarantee.margin", "Margin Deposit Movement"),
    ("guarantee.fee", "Guarantee Fee Line"),
    ("guarantee.recovery", "Recovery"),
    ("guarantee.loss", "Loss Write-off"),
]


class GuaranteeReversalWizard(models.TransientModel):
    """Ask for the reason before cancelling posted money: the entry is reversed with it."""

    _name = "guarantee.reversal.wizard"
    _description = "Cancel and Reverse Posted Guarantee Records"

    res_model = fields.Selection(REVERSIBLE_MODELS, string="Records", required=True)
    res_ids = fields.Json(string="Record IDs", required=True)
    reason = fields.Text(required=True)

    @api.constrains("res_ids")
    def _check_res_ids(self):
        for wizard in self:
            ids = wizard.res_ids
            if not isinstance(ids, list) or not ids or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in ids
            ):
                raise UserError(_("Choose the records to cancel."))

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason for the reversal."))
        records = self.env[self.res_model].browse(self.res_ids).exists()
        records.check_access("write")
        records.action_cancel(reason=self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
