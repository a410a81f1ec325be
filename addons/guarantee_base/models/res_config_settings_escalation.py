from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_escalation_user_id = fields.Many2one(
        related="company_id.guarantee_escalation_user_id", readonly=False
    )
