from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_fee_day_count = fields.Selection(
        related="company_id.guarantee_fee_day_count", readonly=False
    )
