from odoo import models
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.guarantee_platform.tools.masking import mask_account

from .res_partner_personal_data import _hidden_from_search, _searches_full_value


class ResPartnerBank(models.Model):
    """Account numbers are masked in reads, exports, labels (a many2one to an account shows its
    display name, read as superuser, so the label itself is masked for everyone except for the
    companies' own accounts) and tracking values; users who may not reveal them cannot find an
    account by its number."""

    _inherit = "res.partner.bank"
    _masked_fields = {"acc_number": "account", "sanitized_acc_number": "account"}

    def _compute_display_name(self):
        super()._compute_display_name()
        own_partners = self.env["res.company"].sudo().search([]).partner_id
        for account in self:
            if account.acc_number and account.partner_id not in own_partners:
                account.display_name = account.display_name.replace(
                    account.acc_number, mask_account(account.acc_number)
                )

    def _condition_to_sql(self, alias, fname, operator, value, query):
        if (
            fname in self._masked_fields
            and _searches_full_value(operator, value)
            and _hidden_from_search(self.env)
        ):
            return SQL("TRUE") if operator in expression.NEGATIVE_TERM_OPERATORS else SQL("FALSE")
        return super()._condition_to_sql(alias, fname, operator, value, query)
