from odoo import fields, models


class GuaranteeEsignLog(models.Model):
    """One call to or from the e-signature provider: what, when, how long, how it ended."""

    _name = "guarantee.esign.log"
    _description = "E-Signature Call Log"
    _order = "id desc"
    _rec_name = "operation"

    provider_id = fields.Many2one("guarantee.esign.provider", index=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="provider_id.company_id", store=True, index=True
    )
    contract_id = fields.Many2one("guarantee.contract", index=True, ondelete="set null")
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound Callback")], required=True,
        default="outbound",
    )
    operation = fields.Char(required=True)
    request_id = fields.Char(index=True)
    event_id = fields.Char(string="Callback Event", index=True)
    attempt = fields.Integer(default=1)
    url = fields.Char(string="URL")
    status_code = fields.Integer(string="HTTP Status")
    duration_ms = fields.Integer(string="Duration (ms)")
    outcome = fields.Selection(
        [("ok", "OK"), ("error", "Error"), ("rejected", "Rejected"), ("duplicate", "Duplicate")],
        required=True,
    )
    message = fields.Text()
