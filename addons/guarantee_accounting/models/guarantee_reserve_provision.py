import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import compensation_reserve_provision, reserve_difference, unearned_premium_reserve

_logger = logging.getLogger(__name__)


class GuaranteeReserveProvision(models.Model):
    """The reserves of one company for one period, posted as one entry.

    未到期责任准备金 (unearned premium): the reserve is brought to ``rate`` % of the year's fee
    income at the period end, so the first run of a year releases most of last year's.
    担保赔偿准备金 (compensation): ``rate`` % of the balance in force at the period end (own
    share, unweighted, financing and non-financing, from the daily balance snapshot) is
    provisioned each year, never released, and only up to ``cap`` % of that balance.
    Both are computed as of the period end, whenever the run happens.
    """

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
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Period Start", required=True, readonly=True)
    date = fields.Date(string="Period End", required=True, readonly=True, index=True)
    fee_income = fields.Monetary(
        string="Fee Income of the Year", readonly=True,
        help="Guarantee fee income from 1 January to the period end.",
    )
    unearned_rate = fields.Float(string="Unearned Premium Reserve Rate (%)", readonly=True)
    unearned_target = fields.Monetary(string="Unearned Premium Reserve Target", readonly=True)
    unearned_before = fields.Monetary(
        string="Unearned Premium Reserve Before", readonly=True,
        help="The reserve on the books at the period end, before this provision.",
    )
    unearned_amount = fields.Monetary(
        string="Unearned Premium Provision", readonly=True, help="Negative: released."
    )
    snapshot_date = fields.Date(
        readonly=True, help="The balance snapshot the compensation reserve was computed from."
    )
    balance_in_force = fields.Monetary(
        string="Balance in Force",
        readonly=True,
        help="在保余额 at own share at the period end, from the snapshot.",
    )
    compensation_rate = fields.Float(string="Compensation Reserve Rate (%)", readonly=True)
    compensation_cap = fields.Float(string="Compensation Reserve Cap (%)", readonly=True)
    compensation_provisioned_in_year = fields.Monetary(
        string="Compensation Reserve Provisioned in the Year", readonly=True
    )
    compensation_before = fields.Monetary(
        string="Compensation Reserve Before", readonly=True,
        help="The reserve on the books at the period end, after losses written off against it.",
    )
    compensation_amount = fields.Monetary(string="Compensation Provision", readonly=True)

    _sql_constraints = [
        ("company_period_unique", "unique(company_id, date)",
         "The reserves of a company are provisioned once per period."),
    ]

    @api.depends("date")
    def _compute_name(self):
        for provision in self:
            provision.name = _("Reserves %(date)s", date=provision.date or "")

    @api.constrains("company_id", "date_from", "date")
    def _check_one_per_period(self):
        for provision in self:
            if provision.date_from > provision.date:
                raise ValidationError(_("The period must start before it ends."))
            overlap = self.search_count([
                ("id", "!=", provision.id), ("company_id", "=", provision.company_id.id),
                ("date_from", "<=", provision.date), ("date", ">=", provision.date_from),
            ])
            if overlap:
                raise ValidationError(_("The reserves of %(company)s are already provisioned "
                                        "for a period overlapping %(start)s – %(end)s.",
                                        company=provision.company_id.name,
                                        start=provision.date_from, end=provision.date))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._lock_is_unlocked():
            raise UserError(_("Reserve provisions are created by the monthly job or the "
                              "Provision Reserves wizard only."))
        return super().create(vals_list)

    # ------------------------------------------------------------------ provisioning

    @api.model
    def _provision(self, company, date_from, date_to):
        """Provision the reserves of ``company`` for the period, as of ``date_to``: one
        provision (and one entry, when anything is to be posted). Refused for a period
        already provisioned, or ending before the last provisioned one."""
        self._check_can_provision(company, date_from, date_to)
        values = dict(
            self._unearned_values(company, date_to),
            **self._compensation_values(company, date_to),
            company_id=company.id, date_from=date_from, date=date_to,
        )
        provision = self.sudo()._unlocked().create(values)
        provision._post_entry()
        return provision.with_env(self.env)

    @api.model
    def _check_can_provision(self, company, date_from, date_to):
        """A period that has ended, right after the last one provisioned (no gap, no
        overlap): the reserves are a chain of periods, each computed as of its end."""
        today = fields.Date.context_today(self)
        if date_to >= today:
            raise UserError(_("The period %(start)s – %(end)s has not ended yet: reserves are "
                              "provisioned for a period that has ended.",
                              start=date_from, end=date_to))
        last = self.sudo().search([("company_id", "=", company.id)], order="date desc", limit=1)
        if last and last.date >= date_from:
            raise UserError(_("The reserves of %(company)s are provisioned up to %(date)s: the "
                              "next period starts after it.", company=company.name,
                              date=last.date))
        if last and date_from != last.date + relativedelta(days=1):
            raise UserError(_("The reserves of %(company)s are provisioned up to %(date)s: the "
                              "next period starts on %(next)s, without a gap.",
                              company=company.name, date=last.date,
                              next=last.date + relativedelta(days=1)))
        missing = company._guarantee_accounting_missing()
        if missing:
            raise UserError(_("The guarantee accounting settings of %(company)s are "
                              "incomplete: %(missing)s.", company=company.name,
                              missing=", ".join(missing)))

    @api.model
    def _unearned_values(self, company, date_to):
        year_start = date_to.replace(month=1, day=1)
        fee_income = self._account_balance(
            company,
            company.guarantee_fee_income_account_id | company.guarantee_deferred_fee_account_id,
            year_start, date_to,
        )
        rate = company.guarantee_unearned_reserve_rate
        target = unearned_premium_reserve(fee_income, rate)
        before = self._account_balance(
            company, company.guarantee_unearned_reserve_account_id, None, date_to
        )
        return {
            "fee_income": fee_income, "unearned_rate": rate, "unearned_target": target,
            "unearned_before": before, "unearned_amount": reserve_difference(target, before),
        }

    @api.model
    def _compensation_values(self, company, date_to):
        Snapshot = self.env["guarantee.balance.snapshot"].sudo()
        balance = Snapshot._balance_as_of(company, date_to)[0]
        year_start = date_to.replace(month=1, day=1)
        [(in_year,)] = self.sudo()._read_group(
            [("company_id", "=", company.id), ("date", ">=", year_start),
             ("date", "<=", date_to)],
            [], ["compensation_amount:sum"],
        )
        before = self._account_balance(
            company, company.guarantee_compensation_reserve_account_id, None, date_to
        )
        rate = company.guarantee_compensation_reserve_rate
        cap = company.guarantee_compensation_reserve_cap
        return {
            "snapshot_date": Snapshot._snapshot_date(company, date_to),
            "balance_in_force": balance, "compensation_rate": rate, "compensation_cap": cap,
            "compensation_provisioned_in_year": in_year or 0.0,
            "compensation_before": before,
            "compensation_amount": compensation_reserve_provision(
                balance, rate, cap, in_year or 0.0, before
            ),
        }

    def _post_entry(self):
        """Dr reserve expense, Cr reserve for each provision; a release the other way."""
        self.ensure_one()
        company = self.company_id
        expense = company.guarantee_reserve_expense_account_id
        lines = []
        for reserve, amount in (
            (company.guarantee_unearned_reserve_account_id, self.unearned_amount),
            (company.guarantee_compensation_reserve_account_id, self.compensation_amount),
        ):
            if company.currency_id.is_zero(amount):
                continue
            value = abs(amount)
            lines += ([(expense, value, 0.0, None), (reserve, 0.0, value, None)] if amount > 0
                      else [(reserve, value, 0.0, None), (expense, 0.0, value, None)])
        if lines:
            self._guarantee_post_move(company.guarantee_misc_journal_id, self.date, self.name,
                                      lines)

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
        """On the first days of a month, provision the month that ended (once)."""
        date_to = fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)
        date_from = date_to.replace(day=1)
        companies = self.env["res.company"].search([("guarantee_misc_journal_id", "!=", False)])
        done = self.search([("company_id", "in", companies.ids), ("date", ">=", date_from)])
        Snapshot = self.env["guarantee.balance.snapshot"].sudo()
        for company in companies - done.company_id:
            last = self.search([("company_id", "=", company.id)], order="date desc", limit=1)
            start = last.date + relativedelta(days=1) if last else date_from
            if not Snapshot._snapshot_date(company, date_to):
                _logger.info("No balance snapshot of %s on or before %s: its reserves wait for "
                             "the Provision Reserves wizard.", company.name, date_to)
                continue
            self.with_company(company)._provision(company, start, date_to)
        return True
