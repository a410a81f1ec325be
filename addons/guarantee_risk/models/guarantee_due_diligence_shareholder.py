from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class GuaranteeDueDiligenceShareholder(models.Model):
    """A shareholder of the customer as the due-diligence report records it."""

    _name = "guarantee.due.diligence.shareholder"
    _description = "Due-Diligence Shareholder"
    _inherit = ["guarantee.lock.mixin"]
    _order = "report_id, share desc, id"

    _lock_state_field = "report_state"
    _lock_action_fields = ()
    _lock_readonly_states = ("signing", "signed")
    _lock_unlink_states = ("draft",)

    report_id = fields.Many2one(
        "guarantee.due.diligence.report", required=True, ondelete="cascade", index=True
    )
    report_state = fields.Selection(related="report_id.state")
    currency_id = fields.Many2one(related="report_id.currency_id")
    name = fields.Char(string="Shareholder", required=True)
    share = fields.Float(string="Share (%)", digits=(16, 2))
    contribution = fields.Monetary(string="Capital Contributed", currency_field="currency_id")
    is_controller = fields.Boolean(string="Actual Controller")
    note = fields.Char()

    @api.constrains("share")
    def _check_share(self):
        for shareholder in self:
            if not 0 <= shareholder.share <= 100:
                raise ValidationError(_("A shareholding is between 0% and 100%."))

    @api.model_create_multi
    def create(self, vals_list):
        reports = self.env["guarantee.due.diligence.report"].browse(
            {vals["report_id"] for vals in vals_list if vals.get("report_id")}
        )
        if any(report.state != "draft" for report in reports):
            raise UserError(_("A report being signed or signed off no longer changes."))
        return super().create(vals_list)
