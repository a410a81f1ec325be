from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_psi_alert_threshold = fields.Float(
        related="company_id.guarantee_psi_alert_threshold", readonly=False
    )
    guarantee_scorecard_queue_rows = fields.Integer(
        related="company_id.guarantee_scorecard_queue_rows", readonly=False
    )
