from odoo import api, fields, models


class GuaranteeApiCallLog(models.Model):
    """One call to the partner API: who, from where, what, how it ended. Never the key."""

    _name = "guarantee.api.call.log"
    _description = "Partner API Call"
    _order = "id desc"
    _rec_name = "path"

    key_id = fields.Many2one("guarantee.api.key", string="API Key", index=True, readonly=True,
                             ondelete="set null")
    partner_id = fields.Many2one("res.partner", string="Partner", readonly=True, index=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    method = fields.Char(readonly=True)
    path = fields.Char(readonly=True)
    remote_addr = fields.Char(string="IP Address", readonly=True)
    idempotency_key = fields.Char(readonly=True)
    status_code = fields.Integer(string="HTTP Status", readonly=True, index=True)
    error_code = fields.Char(readonly=True)
    message = fields.Text(readonly=True)
    project_id = fields.Many2one("guarantee.project", readonly=True, ondelete="set null")
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    replayed = fields.Boolean(readonly=True,
                              help="Answered from the first call with this idempotency key.")

    def init(self):
        # a key's calls of a period (the key's Calls button, the audit)
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_api_call_log_key_date_idx "
            "ON guarantee_api_call_log (key_id, create_date)"
        )

    @api.autovacuum
    def _gc_old_calls(self):
        """Calls are kept one year for the audit."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=365)
        self.search([("create_date", "<", limit)]).unlink()
