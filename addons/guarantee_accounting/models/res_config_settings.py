from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    guarantee_fee_journal_id = fields.Many2one(
        related="company_id.guarantee_fee_journal_id", readonly=False)
    guarantee_bank_journal_id = fields.Many2one(
        related="company_id.guarantee_bank_journal_id", readonly=False)
    guarantee_misc_journal_id = fields.Many2one(
        related="company_id.guarantee_misc_journal_id", readonly=False)
    guarantee_receivable_account_id = fields.Many2one(
        related="company_id.guarantee_receivable_account_id", readonly=False)
    guarantee_fee_income_account_id = fields.Many2one(
        related="company_id.guarantee_fee_income_account_id", readonly=False)
    guarantee_deferred_fee_account_id = fields.Many2one(
        related="company_id.guarantee_deferred_fee_account_id", readonly=False)
    guarantee_use_deferred_fee = fields.Boolean(
        related="company_id.guarantee_use_deferred_fee", readonly=False)
    guarantee_margin_account_id = fields.Many2one(
        related="company_id.guarantee_margin_account_id", readonly=False)
    guarantee_compensation_account_id = fields.Many2one(
        related="company_id.guarantee_compensation_account_id", readonly=False)
    guarantee_compensation_reserve_account_id = fields.Many2one(
        related="company_id.guarantee_compensation_reserve_account_id", readonly=False)
    guarantee_unearned_reserve_account_id = fields.Many2one(
        related="company_id.guarantee_unearned_reserve_account_id", readonly=False)
    guarantee_reserve_expense_account_id = fields.Many2one(
        related="company_id.guarantee_reserve_expense_account_id", readonly=False)
    guarantee_bank_clearing_account_id = fields.Many2one(
        related="company_id.guarantee_bank_clearing_account_id", readonly=False)
    guarantee_unearned_reserve_rate = fields.Float(
        related="company_id.guarantee_unearned_reserve_rate", readonly=False)
    guarantee_compensation_reserve_rate = fields.Float(
        related="company_id.guarantee_compensation_reserve_rate", readonly=False)
    guarantee_compensation_reserve_cap = fields.Float(
        related="company_id.guarantee_compensation_reserve_cap", readonly=False)
