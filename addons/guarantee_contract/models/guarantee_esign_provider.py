from odoo import api, fields, models

from ..tools import esign_adapters  # noqa: F401  (registers the adapters)


class GuaranteeEsignProvider(models.Model):
    """A CA / e-signature service (电子签章服务商) and how to reach it."""

    _name = "guarantee.esign.provider"
    _description = "E-Signature Provider"
    _inherit = ["guarantee.connector.mixin"]
    _order = "sequence, id"
    _connector_kind = "esign"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    protocol = fields.Selection([("rest", "REST / JSON")], required=True, default="rest")
    base_url = fields.Char(string="Base URL", required=True)
    api_key = fields.Char(string="API Key", groups="base.group_system", copy=False)
    callback_secret = fields.Char(
        string="Callback Secret",
        groups="base.group_system",
        copy=False,
        help="Shared secret of the HMAC-SHA256 signature (over timestamp + \".\" + body) the "
        "provider puts on its callbacks.",
    )

    @api.model
    def _default_for(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    def _connector_url(self):
        return self.base_url

    def _connector_secret(self):
        return self.api_key

    def _inbound_secret(self):
        return self.callback_secret
