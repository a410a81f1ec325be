from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_committee_quorum = fields.Integer(
        related="company_id.guarantee_committee_quorum", readonly=False
    )
    guarantee_committee_majority = fields.Float(
        related="company_id.guarantee_committee_majority", readonly=False
    )
    guarantee_escalation_days = fields.Integer(
        related="company_id.guarantee_escalation_days", readonly=False
    )
