from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class GuaranteeReserveWizard(models.TransientModel):
    """Provision the reserves for a period not provisioned yet, as the monthly job does for
    the last month; the figures are those as of the period end (back-dated runs included)."""

    _name = "guarantee.reserve.wizard"
    _description = "Provision Reserves"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period must start before it ends."))

    def action_provision(self):
        """Finance provisions; the guarantee administrator only reads money."""
        self.ensure_one()
        if not self.env.user.has_group("guarantee_base.group_guarantee_finance"):
            raise AccessError(_("Only finance provisions the reserves."))
        provision = self.env["guarantee.reserve.provision"]._provision(
            self.company_id, self.date_from, self.date_to
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Reserve Provisions"),
            "res_model": "guarantee.reserve.provision",
            "res_id": provision.id,
            "view_mode": "form",
        }
