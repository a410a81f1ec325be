from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .guarantee_connector_call_log import (
    DEFAULT_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    RETENTION_PARAM,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_connector_retention_days = fields.Integer(
        string="Keep Connector Calls (days)",
        config_parameter=RETENTION_PARAM,
        default=DEFAULT_RETENTION_DAYS,
        help="Call-log lines and recorded events (with the answers kept for idempotency keys) "
        "older than this are deleted every night, for every connector and API.",
    )

    @api.constrains("guarantee_connector_retention_days")
    def _check_guarantee_connector_retention_days(self):
        if any(settings.guarantee_connector_retention_days < MIN_RETENTION_DAYS
               for settings in self):
            raise ValidationError(_("Connector calls must be kept at least %(days)s days.",
                                    days=MIN_RETENTION_DAYS))
