from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class GuaranteeCreditLine(models.Model):
    """A credit line keeps the measurement its amount came from."""

    _inherit = "guarantee.credit.line"
    _lock_fields_by_state = {"confirmed": ("measurement_id",)}

    measurement_id = fields.Many2one(
        "guarantee.credit.measurement",
        string="Measurement",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        domain="[('partner_id', '=', partner_id), ('state', '=', 'confirmed')]",
        help="The credit-line measurement the amount is based on.",
    )
    measured_amount = fields.Monetary(
        related="measurement_id.result_amount", string="Measured Amount",
        currency_field="currency_id",
    )

    @api.onchange("measurement_id")
    def _onchange_measurement_id(self):
        if self.measurement_id:
            self.amount = self.measurement_id.result_amount

    @api.constrains("measurement_id", "partner_id")
    def _check_measurement(self):
        for line in self.filtered("measurement_id"):
            measurement = line.measurement_id
            if measurement.partner_id != line.partner_id:
                raise ValidationError(
                    _("The measurement %(measurement)s is of another customer.",
                      measurement=measurement.name)
                )
            if measurement.state != "confirmed":
                raise ValidationError(
                    _("The measurement %(measurement)s is not confirmed.",
                      measurement=measurement.name)
                )
