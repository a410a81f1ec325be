from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_psi_alert_threshold = fields.Float(
        string="PSI Alert Threshold",
        digits=(16, 2),
        default=0.25,
        help="A monthly population stability index above this opens an activity for the "
        "scorecard's responsible (0.1-0.25: watch; above 0.25: the population has shifted).",
    )
    guarantee_scorecard_queue_rows = fields.Integer(
        string="Train in Background From (rows)",
        default=2000,
        help="Training data with at least this many rows is trained by a background job.",
    )

    @api.constrains("guarantee_psi_alert_threshold", "guarantee_scorecard_queue_rows")
    def _check_scorecard_settings(self):
        for company in self:
            if (
                company.guarantee_psi_alert_threshold < 0
                or company.guarantee_scorecard_queue_rows < 0
            ):
                raise ValidationError(_("The scorecard settings cannot be negative."))
