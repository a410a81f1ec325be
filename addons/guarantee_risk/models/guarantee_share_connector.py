from odoo import fields, models

from ..tools import share_adapters  # noqa: F401  (registers the adapters)


class GuaranteeShareConnector(models.Model):
    """The system of a re-guarantor or fund that takes filings (备案) through its API."""

    _name = "guarantee.share.connector"
    _description = "Filing Connector"
    _inherit = ["guarantee.connector.mixin"]
    _connector_kind = "share"

    partner_id = fields.Many2one(
        "res.partner", string="Counterparty", domain="[('is_company', '=', True)]",
        help="The re-guarantor or fund whose system this is.",
    )
