from odoo import _, api, fields, models
from odoo.exceptions import UserError


class GuaranteeCreditMeasurementAdjustment(models.Model):
    """An adjustment of a measurement by the project manager, always with its reason (a
    large customer's late payments, a new contract, loans to repay…)."""

    _name = "guarantee.credit.measurement.adjustment"
    _description = "Credit-Line Measurement Adjustment"
    _inherit = ["guarantee.lock.mixin"]
    _order = "measurement_id, sequence, id"

    _lock_state_field = "measurement_state"
    _lock_action_fields = ()
    _lock_readonly_states = ("confirmed",)
    _lock_unlink_states = ("draft",)

    measurement_id = fields.Many2one(
        "guarantee.credit.measurement", required=True, ondelete="cascade", index=True
    )
    measurement_state = fields.Selection(related="measurement_id.state")
    sequence = fields.Integer(default=10)
    currency_id = fields.Many2one(related="measurement_id.currency_id")
    amount = fields.Monetary(required=True, help="Added to the measured amount (negative: less).")
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        measurements = self.env["guarantee.credit.measurement"].browse(
            {vals["measurement_id"] for vals in vals_list if vals.get("measurement_id")}
        )
        if any(m.state != "draft" for m in measurements):
            raise UserError(_("A confirmed measurement keeps its adjustments as they were."))
        adjustments = super().create(vals_list)
        adjustments.measurement_id._measure()
        return adjustments

    def write(self, vals):
        result = super().write(vals)
        if "amount" in vals:
            self.measurement_id._measure()
        return result

    def unlink(self):
        measurements = self.measurement_id
        result = super().unlink()
        measurements.exists()._measure()
        return result
