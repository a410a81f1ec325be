from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_audit_retention_days = fields.Integer(
        related="company_id.guarantee_audit_retention_days", readonly=False
    )
