from odoo import api, models

from ..tools import sms_adapters  # noqa: F401  (registers the adapters)


class GuaranteeSmsGateway(models.Model):
    """A REST SMS gateway (短信网关) that Odoo's SMS go through instead of Odoo's IAP."""

    _name = "guarantee.sms.gateway"
    _description = "SMS Gateway"
    _inherit = ["guarantee.connector.mixin"]
    _connector_kind = "sms"

    @api.model
    def _default_for(self, company):
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    def _send_sms(self, request_id, number, content):
        """Send one text; raises ConnectorError when the gateway does not take it."""
        return self._connector_adapter().send(request_id, number, content)
