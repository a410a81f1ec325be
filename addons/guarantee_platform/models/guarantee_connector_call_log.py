from odoo import api, fields, models

OUTCOMES = [
    ("started", "Started"),
    ("ok", "OK"),
    ("retry", "Retried"),
    ("error", "Error"),
    ("rejected", "Rejected"),
    ("duplicate", "Duplicate"),
]


class GuaranteeConnectorCallLog(models.Model):
    """One call to or from an outside system (bank, CA, data provider, SMS gateway): what,
    with which request id, how long, how it ended. Never the credentials."""

    _name = "guarantee.connector.call.log"
    _description = "Connector Call Log"
    _order = "id desc"
    _rec_name = "operation"

    res_model = fields.Char(string="Connector Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Connector", model_field="res_model", required=True, index=True, readonly=True
    )
    connector_name = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    record_model = fields.Char(readonly=True)
    record_id = fields.Many2oneReference(model_field="record_model", index=True, readonly=True)
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")], required=True, default="outbound",
        readonly=True,
    )
    operation = fields.Char(required=True, index=True, readonly=True)
    request_id = fields.Char(index=True, readonly=True)
    event_id = fields.Char(string="Event ID", index=True, readonly=True)
    attempt = fields.Integer(default=1, readonly=True)
    url = fields.Char(string="URL", readonly=True)
    status_code = fields.Integer(string="HTTP Status", readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True, index=True, readonly=True)
    message = fields.Text(readonly=True)

    @api.autovacuum
    def _gc_old_calls(self):
        """Successful calls are kept 180 days; errors stay for the audit."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=180)
        self.search([("create_date", "<", limit), ("outcome", "in", ("ok", "duplicate"))]).unlink()
