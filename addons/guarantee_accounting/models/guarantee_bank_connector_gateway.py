from odoo import fields, models


class GuaranteeBankConnector(models.Model):
    """The settings of gateway banks (ICBC-style XML through the bank's NC gateway)."""

    _inherit = "guarantee.bank.connector"

    protocol = fields.Selection(
        selection_add=[("icbc_xml", "ICBC Gateway XML (银企互联)")],
        ondelete={"icbc_xml": "set default"},
    )
    gateway_cis = fields.Char(
        string="Customer Number (CIS)",
        help="ICBC gateway: the company's customer number at the bank (集团CIS号). The "
        "username is the operator certificate id (ID).",
    )

    def _connector_config(self, **options):
        connector = self.sudo()
        return super()._connector_config(
            cis=connector.gateway_cis or "", account_name=connector.company_id.name, **options)
