from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.esign_adapters import ADAPTERS


class GuaranteeEsignProvider(models.Model):
    """A CA / e-signature service (电子签章服务商) and how to reach it."""

    _name = "guarantee.esign.provider"
    _description = "E-Signature Provider"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    protocol = fields.Selection([("rest", "REST / JSON")], required=True, default="rest")
    base_url = fields.Char(string="Base URL", required=True)
    api_key = fields.Char(string="API Key", groups="base.group_system", copy=False)
    callback_secret = fields.Char(
        string="Callback Secret",
        groups="base.group_system",
        copy=False,
        help="Shared secret of the HMAC-SHA256 signature the provider puts on its callbacks.",
    )
    timeout = fields.Float(string="Timeout (s)", default=10.0)
    retries = fields.Integer(default=2, help="Further attempts after a failed call.")
    retry_backoff = fields.Float(
        string="Retry Backoff (s)",
        default=1.0,
        help="Wait before the first retry; each further retry waits twice as long.",
    )
    log_ids = fields.One2many("guarantee.esign.log", "provider_id", string="Calls")

    @api.constrains("timeout", "retries", "retry_backoff")
    def _check_limits(self):
        for provider in self:
            if provider.timeout <= 0 or provider.retries < 0 or provider.retry_backoff < 0:
                raise ValidationError(
                    _("The timeout must be positive; retries and backoff cannot be negative.")
                )

    @api.model
    def _default_for(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    def _adapter(self):
        """The protocol adapter of this provider (what the business code calls)."""
        self.ensure_one()
        return ADAPTERS[self.protocol](self.sudo())

    def _log_call(self, values):
        return self.env["guarantee.esign.log"].sudo().create(dict(values, provider_id=self.id))
