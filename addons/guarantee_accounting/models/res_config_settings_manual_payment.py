from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_manual_payment_limit = fields.Monetary(
        related="company_id.guarantee_manual_payment_limit", readonly=False,
        currency_field="currency_id",
    )
