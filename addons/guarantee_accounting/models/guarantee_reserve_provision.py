from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools import compensation_reserve_provision, reserve_difference, unearned_premium_reserve

RESERVE_KINDS = [
    ("unearned_premium", "Unearned Premium Reserve"),
    ("compensation", "Compensation Reserve"),
]


class GuaranteeReserveProvision(models.Model):
    """One posted provision of a reserve for a period (Dr reserve expense, Cr reserve)."""

    _name = "guarantee.reserve.provision"
    _description = "Reserve Provision"
    _inherit = ["guarantee.entry.mixin", "guarantee.lock.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # Created and posted by the job or the wizard only; a posted provision is final.
    _lock_state_field = None
    _lock_action_fields = ()
    _lock_readonly_states = ("always",)
    _lock_unlink_states = ()

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(RESERVE_KINDS, required=True, index=True)
    date_from = fields.Date(required=True)
    date = fields.Date(string="Period End", required=True, index=True)
    base_amount = fields.Monetary(
        string="Base", currency_field="currency_id",
        help="Fee income of the year to date, or the liability balance.",
    )
    rate = fields.Float(string="Rate (%)")
    provisioned_before = fields.Monetary(currency_field="currency_id",
                                         help="Already provisioned in the year.")
    amount = fields.Monetary(currency_field="currency_id", help="Posted now; negative releases.")

    @api.depends("kind", "date")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for provision in self:
            provision.name = "%s %s" % (labels.get(provision.kind, ""), provision.date or "")

    @api.model
    def _provision(self, company, date_from, date_to):
        """Post what each reserve lacks at ``date_to`` (nothing when it is provisioned)."""
        year_start = date_to.replace(month=1, day=1)
        done = dict(self._read_group(
            [("company_id", "=", company.id), ("date", ">=", year_start), ("date", "<=", date_to)],
            ["kind"], ["amount:sum"],
        ))
        provisions = self.browse()
        fee_income = self._account_balance(
            company, company.guarantee_fee_income_account_id
            | company.guarantee_deferred_fee_account_id, year_start, date_to,
        )
        rate = company.guarantee_unearned_reserve_rate
        amount = reserve_difference(
            unearned_premium_reserve(fee_income, rate), done.get("unearned_premium", 0.0)
        )
        provisions |= self._post_provision(company, "unearned_premium", date_from, date_to,
                                           fee_income, rate, done.get("unearned_premium", 0.0),
                                           amount)
        liability = company._guarantee_liability_balance()
        reserve_balance = self._account_balance(
            company, company.guarantee_compensation_reserve_account_id, None, date_to
        )
        amount = compensation_reserve_provision(
            liability, company.guarantee_compensation_reserve_rate,
            company.guarantee_compensation_reserve_cap, done.get("compensation", 0.0),
            reserve_balance,
        )
        provisions |= self._post_provision(company, "compensation", date_from, date_to, liability,
                                           company.guarantee_compensation_reserve_rate,
                                           done.get("compensation", 0.0), amount)
        return provisions

    def _post_provision(self, company, kind, date_from, date_to, base, rate, before, amount):
        if company.currency_id.is_zero(amount):
            return self.browse()
        provision = self.create({
            "company_id": company.id, "kind": kind, "date_from": date_from, "date": date_to,
            "base_amount": base, "rate": rate, "provisioned_before": before, "amount": amount,
        })
        reserve = (company.guarantee_unearned_reserve_account_id if kind == "unearned_premium"
                   else company.guarantee_compensation_reserve_account_id)
        expense = company.guarantee_reserve_expense_account_id
        value = abs(amount)
        lines = ([(expense, value, 0.0, None), (reserve, 0.0, value, None)] if amount > 0
                 else [(reserve, value, 0.0, None), (expense, 0.0, value, None)])
        provision._guarantee_post_move(company.guarantee_misc_journal_id, date_to,
                                       provision.name, lines)
        return provision

    @api.model
    def _account_balance(self, company, accounts, date_from, date_to):
        """Credit balance of ``accounts`` over the posted entries of the period."""
        domain = [("company_id", "=", company.id), ("account_id", "in", accounts.ids),
                  ("parent_state", "=", "posted"), ("date", "<=", date_to)]
        if date_from:
            domain.append(("date", ">=", date_from))
        [(balance,)] = self.env["account.move.line"].sudo()._read_group(
            domain, [], ["balance:sum"]
        )
        return -(balance or 0.0)

    @api.model
    def _cron_monthly_provision(self):
        """On the first days of a month, provision the month that ended."""
        date_to = fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)
        date_from = date_to.replace(day=1)
        for company in self.env["res.company"].search([("guarantee_misc_journal_id", "!=", False)]):
            self.with_company(company)._provision(company, date_from, date_to)
        return True

