from odoo import fields, models


class GuaranteeShareFilingRefuseWizard(models.TransientModel):
    """The counterparty's reason for refusing a filing, asked before recording it."""

    _name = "guarantee.share.filing.refuse.wizard"
    _description = "Refuse a Filing"

    filing_ids = fields.Many2many("guarantee.share.filing", string="Filings", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.filing_ids.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
