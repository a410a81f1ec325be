from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_share_receivable_account_id = fields.Many2one(
        related="company_id.guarantee_share_receivable_account_id", readonly=False)
    guarantee_share_payable_account_id = fields.Many2one(
        related="company_id.guarantee_share_payable_account_id", readonly=False)
    guarantee_share_fee_account_id = fields.Many2one(
        related="company_id.guarantee_share_fee_account_id", readonly=False)
    guarantee_share_fee_passthrough_account_id = fields.Many2one(
        related="company_id.guarantee_share_fee_passthrough_account_id", readonly=False)
    guarantee_purchase_journal_id = fields.Many2one(
        related="company_id.guarantee_purchase_journal_id", readonly=False)
