from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_audit_retention_days = fields.Integer(
        related="company_id.guarantee_audit_retention_days", readonly=False
    )
    guarantee_session_idle_minutes = fields.Integer(
        string="Session Idle Timeout (minutes)",
        config_parameter="guarantee_platform.session_idle_minutes",
        default=30,
        help="A session idle for longer is logged out; 0 turns the timeout off.",
    )

    @api.constrains("guarantee_session_idle_minutes")
    def _check_guarantee_session_idle_minutes(self):
        if any(settings.guarantee_session_idle_minutes < 0 for settings in self):
            raise ValidationError(_("The session idle timeout cannot be negative."))
