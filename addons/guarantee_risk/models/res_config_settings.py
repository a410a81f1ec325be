from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_net_assets_source = fields.Selection(
        related="company_id.guarantee_net_assets_source", readonly=False
    )
    guarantee_net_assets = fields.Monetary(
        related="company_id.guarantee_net_assets", readonly=False
    )
    guarantee_mainly_small_micro = fields.Boolean(
        related="company_id.guarantee_mainly_small_micro", readonly=False
    )
    guarantee_single_party_limit = fields.Float(
        related="company_id.guarantee_single_party_limit", readonly=False
    )
    guarantee_group_limit = fields.Float(related="company_id.guarantee_group_limit", readonly=False)
    guarantee_controller_partner_ids = fields.Many2many(
        related="company_id.guarantee_controller_partner_ids", readonly=False
    )
    guarantee_registration_reminder_days = fields.Integer(
        related="company_id.guarantee_registration_reminder_days", readonly=False
    )
    guarantee_insurance_reminder_days = fields.Integer(
        related="company_id.guarantee_insurance_reminder_days", readonly=False
    )
    guarantee_class_special_days = fields.Integer(
        related="company_id.guarantee_class_special_days", readonly=False
    )
    guarantee_class_substandard_days = fields.Integer(
        related="company_id.guarantee_class_substandard_days", readonly=False
    )
    guarantee_class_doubtful_days = fields.Integer(
        related="company_id.guarantee_class_doubtful_days", readonly=False
    )
    guarantee_class_loss_days = fields.Integer(
        related="company_id.guarantee_class_loss_days", readonly=False
    )
    guarantee_quiet_start = fields.Float(
        related="company_id.guarantee_quiet_start", readonly=False
    )
    guarantee_quiet_end = fields.Float(related="company_id.guarantee_quiet_end", readonly=False)
