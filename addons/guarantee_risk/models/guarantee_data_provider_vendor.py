from odoo import fields, models

from ..tools import data_vendor_adapters  # noqa: F401  (registers the adapters)


class GuaranteeDataProvider(models.Model):
    """企查查 and 天眼查, each through its own open API."""

    _inherit = "guarantee.data.provider"

    protocol = fields.Selection(
        selection_add=[("qichacha", "企查查 Open API"), ("tianyancha", "天眼查 Open API")],
        ondelete={"qichacha": "set default", "tianyancha": "set default"},
    )
    app_key = fields.Char(
        string="AppKey", secret=True, copy=False,
        help="企查查: the application's AppKey (its SecretKey goes in the API key). 天眼查 "
        "needs only its token, in the API key.",
    )

    def _connector_username(self):
        return self.app_key or super()._connector_username()
