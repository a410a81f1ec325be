from odoo import fields, models

from ..tools import esign_v3_adapter  # noqa: F401  (registers the adapter)

CALLBACK_ROUTE = "/guarantee/esign/esign_v3/callback"


class GuaranteeEsignProvider(models.Model):
    """e签宝's open API v3: its AppId here, its AppSecret in the API key (it signs our
    requests and the platform's callbacks)."""

    _inherit = "guarantee.esign.provider"

    protocol = fields.Selection(
        selection_add=[("esign_v3", "e签宝 Open API v3")], ondelete={"esign_v3": "set default"},
    )
    app_id = fields.Char(string="AppId", secret=True, copy=False)

    def _connector_username(self):
        return self.app_id or super()._connector_username()

    def _connector_config(self, **options):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        options.setdefault("notify_url", base.rstrip("/") + CALLBACK_ROUTE)
        return super()._connector_config(**options)
