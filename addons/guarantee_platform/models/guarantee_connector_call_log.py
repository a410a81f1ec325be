from odoo import api, fields, models

from ..tools.connectors import redact

# One retention for the connectors' whole history (call log and event store), in days
RETENTION_PARAM = "guarantee_platform.connector_retention_days"
DEFAULT_RETENTION_DAYS = 365
MIN_RETENTION_DAYS = 30

OUTCOMES = [
    ("started", "Started"),
    ("ok", "OK"),
    ("retry", "Retried"),
    ("error", "Error"),
    ("rejected", "Rejected"),
    ("duplicate", "Duplicate"),
]


class GuaranteeConnectorCallLog(models.Model):
    """One call to or from an outside system (bank, CA, data provider, SMS gateway, a partner
    calling our REST API): what, with which request id, from where, how long, how it ended.
    Never the credentials.

    ``res_model``/``res_id`` name the record the call went through: a connector, or for a call
    made to us the credential it authenticated with (empty when it proved no identity).
    """

    _name = "guarantee.connector.call.log"
    _description = "Connector Call Log"
    _order = "id desc"
    _rec_name = "operation"

    res_model = fields.Char(string="Connector Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Connector", model_field="res_model", index=True, readonly=True
    )
    connector_name = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Counterparty", index=True, readonly=True, ondelete="set null",
        help="Who is on the other side of the call, when known.",
    )
    remote_addr = fields.Char(string="IP Address", readonly=True,
                              help="The address an inbound call came from.")
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
    error_code = fields.Char(readonly=True, help="The code of the error answered or received.")
    message = fields.Text(readonly=True)

    def init(self):
        # the calls of one connector or credential in a period (its Calls button, the audit)
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_connector_call_log_res_date_idx "
            "ON guarantee_connector_call_log (res_model, res_id, create_date)"
        )

    @api.model
    def _log(self, values, secrets=()):
        """Write one line (sudo: whoever triggers a call may not write the log), its message
        without ``secrets``: the other side may echo a credential in an error."""
        if values.get("message"):
            values = dict(values, message=redact(values["message"], secrets))
        return self.sudo().create(values)

    @api.model
    def _retention_cutoff(self):
        """The date before which the connectors' history is deleted (the System Parameter,
        never less than the minimum)."""
        value = self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM)
        try:
            days = int(value) if value else DEFAULT_RETENTION_DAYS
        except ValueError:
            days = DEFAULT_RETENTION_DAYS
        return fields.Datetime.subtract(fields.Datetime.now(),
                                        days=max(days, MIN_RETENTION_DAYS))

    @api.model
    def _cron_purge(self):
        """The one retention of the connectors' history: call-log lines and recorded events
        (with their stored answers) older than the setting are deleted, whatever their
        connector, direction or outcome."""
        cutoff = self._retention_cutoff()
        self.sudo().search([("create_date", "<", cutoff)]).unlink()
        self.env["guarantee.connector.event"].sudo().search(
            [("create_date", "<", cutoff)]).unlink()
