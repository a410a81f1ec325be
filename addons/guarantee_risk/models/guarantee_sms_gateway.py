from odoo import api, fields, models

from ..tools import sms_adapters  # noqa: F401  (registers the adapters)

ADMIN_GROUP = "guarantee_base.group_guarantee_admin"


class GuaranteeSmsGateway(models.Model):
    """A REST SMS gateway (短信网关) that Odoo's SMS go through instead of Odoo's IAP."""

    _name = "guarantee.sms.gateway"
    _description = "SMS Gateway"
    _inherit = ["guarantee.connector.mixin"]
    _order = "sequence, id"
    _connector_kind = "sms"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    protocol = fields.Selection([("rest", "REST / JSON")], required=True, default="rest")
    base_url = fields.Char(string="Base URL", required=True)
    api_key = fields.Char(string="API Key", groups=ADMIN_GROUP, copy=False)

    def _connector_url(self):
        return self.base_url

    def _connector_secret(self):
        return self.api_key

    @api.model
    def _default_for(self, company):
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    def _send_sms(self, request_id, number, content):
        """Send one text; raises ConnectorError when the gateway does not take it."""
        return self._connector_adapter().send(request_id, number, content)
