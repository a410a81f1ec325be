from odoo import api, fields, models

from ..tools import esign_adapters  # noqa: F401  (registers the adapters)


class GuaranteeEsignProvider(models.Model):
    """A CA / e-signature service (电子签章服务商) and how to reach it."""

    _name = "guarantee.esign.provider"
    _description = "E-Signature Provider"
    _inherit = ["guarantee.connector.mixin"]
    _connector_kind = "esign"

    api_key = fields.Char(secret=True, copy=False)
    callback_secret = fields.Char(
        string="Callback Secret",
        secret=True,
        copy=False,
        help="Shared secret of the HMAC-SHA256 signature (over timestamp + \".\" + body) the "
        "provider puts on its callbacks.",
    )

    @api.model
    def _default_for(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    def _inbound_secret(self):
        return self.callback_secret
