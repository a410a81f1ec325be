from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MIN_RETENTION_DAYS = 365


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_audit_retention_days = fields.Integer(
        string="Keep Audit Log (days)",
        default=3650,
        help="Audit log records older than this are purged every night (the integrity chain is "
        "kept). With several companies the longest retention applies.",
    )

    @api.constrains("guarantee_audit_retention_days")
    def _check_guarantee_audit_retention_days(self):
        if any(c.guarantee_audit_retention_days < MIN_RETENTION_DAYS for c in self):
            raise ValidationError(
                _("The audit log must be kept at least %(days)s days.", days=MIN_RETENTION_DAYS)
            )

    @api.model
    def _guarantee_audit_cutoff(self):
        """The date before which audit records may be purged (the longest retention wins)."""
        days = max(self.sudo().search([]).mapped("guarantee_audit_retention_days") or [0])
        return fields.Datetime.now() - timedelta(days=max(days, MIN_RETENTION_DAYS))
