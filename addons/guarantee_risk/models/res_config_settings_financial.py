from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_statement_frequency = fields.Selection(
        related="company_id.guarantee_statement_frequency", readonly=False
    )
    guarantee_statement_due_days = fields.Integer(
        related="company_id.guarantee_statement_due_days", readonly=False
    )
