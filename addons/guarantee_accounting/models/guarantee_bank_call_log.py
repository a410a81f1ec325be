from odoo import fields, models


class GuaranteeBankCallLog(models.Model):
    """One call to a bank: what, with which request id, how long, how it ended (no secrets)."""

    _name = "guarantee.bank.call.log"
    _description = "Bank Call Log"
    _order = "id desc"

    connector_id = fields.Many2one(
        "guarantee.bank.connector", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="connector_id.company_id", store=True, index=True)
    operation = fields.Char(required=True, index=True)
    request_id = fields.Char(index=True)
    duration_ms = fields.Integer(string="Duration (ms)")
    outcome = fields.Selection(
        [("started", "Started"), ("ok", "OK"), ("retry", "Retried"), ("error", "Error")],
        required=True,
        index=True,
    )
    error = fields.Text()
