from odoo import _, api, fields, models

# field -> (code in the Chinese chart, code elsewhere, English name, Chinese name, type, reconcile)
# An account found by its code is chosen as it is; a missing one is created.
GUARANTEE_ACCOUNTS = {
    "guarantee_fee_income_account_id": (
        "603100", "400900", "Guarantee Fee Income", "担保费收入", "income", False),
    "guarantee_deferred_fee_account_id": (
        "240100", "219800", "Deferred Guarantee Fee Income", "递延担保费收入",
        "liability_current", False),
    "guarantee_margin_account_id": (
        "224101", "219700", "Margin Deposits Payable", "存入保证金", "liability_current", True),
    "guarantee_compensation_account_id": (
        "122101", "121900", "Compensation Receivable", "应收代偿款", "asset_current", True),
    "guarantee_compensation_reserve_account_id": (
        "260200", "219500", "Compensation Reserve", "担保赔偿准备金",
        "liability_non_current", False),
    "guarantee_unearned_reserve_account_id": (
        "260100", "219600", "Unearned Premium Reserve", "未到期责任准备金",
        "liability_current", False),
    "guarantee_reserve_expense_account_id": (
        "650100", "619500", "Reserve Provision Expense", "提取担保准备金", "expense", False),
    "guarantee_bank_clearing_account_id": (
        "101299", "101499", "Bank Clearing (Guarantee)", "银行在途款项（担保）",
        "asset_current", True),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_fee_journal_id = fields.Many2one(
        "account.journal", string="Guarantee Fee Journal", check_company=True,
        domain="[('type', '=', 'sale')]",
    )
    guarantee_bank_journal_id = fields.Many2one(
        "account.journal", string="Guarantee Bank Journal", check_company=True,
        domain="[('type', '=', 'bank')]",
        help="The bank account whose connector pays the payment orders and whose statements "
        "are imported.",
    )
    guarantee_misc_journal_id = fields.Many2one(
        "account.journal", string="Guarantee Miscellaneous Journal", check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of margin, compensation, recovery, loss and reserve entries. Its posted "
        "entries are hashed by Odoo: never reset to draft or edited, only reversed.",
    )
    guarantee_receivable_account_id = fields.Many2one(
        "account.account", string="Guarantee Fee Receivable", check_company=True
    )
    guarantee_fee_income_account_id = fields.Many2one(
        "account.account", string="Guarantee Fee Income", check_company=True
    )
    guarantee_deferred_fee_account_id = fields.Many2one(
        "account.account", string="Deferred Guarantee Fee Income", check_company=True
    )
    guarantee_use_deferred_fee = fields.Boolean(
        string="Defer Guarantee Fee Income",
        help="Credit fee invoices to the deferred fee income account instead of income.",
    )
    guarantee_margin_account_id = fields.Many2one(
        "account.account", string="Margin Deposits Payable", check_company=True
    )
    guarantee_compensation_account_id = fields.Many2one(
        "account.account", string="Compensation Receivable", check_company=True
    )
    guarantee_compensation_reserve_account_id = fields.Many2one(
        "account.account", string="Compensation Reserve", check_company=True
    )
    guarantee_unearned_reserve_account_id = fields.Many2one(
        "account.account", string="Unearned Premium Reserve", check_company=True
    )
    guarantee_reserve_expense_account_id = fields.Many2one(
        "account.account", string="Reserve Provision Expense", check_company=True
    )
    guarantee_bank_clearing_account_id = fields.Many2one(
        "account.account", string="Bank Clearing Account", check_company=True,
        help="Bank side of guarantee entries until the bank statement line is reconciled.",
    )
    guarantee_unearned_reserve_rate = fields.Float(
        string="Unearned Premium Reserve Rate (%)", default=50.0,
        help="Share of the year's guarantee fee income kept as unearned-premium reserve.",
    )
    guarantee_compensation_reserve_rate = fields.Float(
        string="Compensation Reserve Rate (%)", default=1.0,
        help="Share of the guarantee balance in force at the period end (own share, "
        "unweighted) provisioned each year.",
    )
    guarantee_compensation_reserve_cap = fields.Float(
        string="Compensation Reserve Cap (%)", default=10.0,
        help="The compensation reserve is topped up only until it reaches this share of the "
        "balance in force.",
    )

    def _guarantee_setup_accounting(self):
        """Choose or create the guarantee journals and accounts of each company with a chart.

        Only empty settings are filled, so running it again (or after a chart is installed)
        keeps what finance changed.
        """
        for company in self.filtered("chart_template"):
            company._guarantee_setup_accounts()
            company._guarantee_setup_journals()

    def _guarantee_setup_accounts(self):
        self.ensure_one()
        Account = self.env["account.account"].sudo().with_company(self)
        if not self.guarantee_receivable_account_id:
            default_id = self.env["ir.default"].sudo()._get(
                "res.partner", "property_account_receivable_id", company_id=self.id
            )
            self.guarantee_receivable_account_id = Account.browse(default_id).exists() or (
                Account.search(
                    [*Account._check_company_domain(self),
                     ("account_type", "=", "asset_receivable")],
                    order="code", limit=1,
                )
            )
        self._guarantee_fill_accounts(GUARANTEE_ACCOUNTS)

    def _guarantee_fill_accounts(self, specs):
        """Fill each empty account field of `specs` with the account of its code, created if
        the chart has none (Chinese code and name on a Chinese chart)."""
        self.ensure_one()
        chinese = self.chart_template.startswith("cn")
        Account = self.env["account.account"].sudo().with_company(self)
        for field_name, spec in specs.items():
            if self[field_name]:
                continue
            code_cn, code_other, name, name_cn, account_type, reconcile = spec
            code = code_cn if chinese else code_other
            account = Account.search(
                [*Account._check_company_domain(self), ("code", "=", code)], limit=1
            )
            self[field_name] = account or Account.create({
                "code": code,
                "name": name_cn if chinese else name,
                "account_type": account_type,
                "reconcile": reconcile,
                "company_ids": [(6, 0, self.ids)],
            })

    def _guarantee_setup_journals(self):
        self.ensure_one()
        Journal = self.env["account.journal"].sudo()
        domain = Journal._check_company_domain(self)
        if not self.guarantee_fee_journal_id:
            journal = Journal.search([*domain, ("code", "=", "GFEE")], limit=1)
            self.guarantee_fee_journal_id = journal or Journal.create({
                "name": _("Guarantee Fees"),
                "code": "GFEE",
                "type": "sale",
                "company_id": self.id,
                "default_account_id": self.guarantee_fee_income_account_id.id,
                "restrict_mode_hash_table": True,
            })
        if not self.guarantee_bank_journal_id:
            self.guarantee_bank_journal_id = Journal.search(
                [*domain, ("type", "=", "bank")], limit=1
            )
        if not self.guarantee_misc_journal_id:
            journal = Journal.search([*domain, ("code", "=", "GENT")], limit=1)
            self.guarantee_misc_journal_id = journal or Journal.create({
                "name": _("Guarantee Entries"),
                "code": "GENT",
                "type": "general",
                "company_id": self.id,
                "restrict_mode_hash_table": True,
            })
        self._guarantee_secure_journals()

    def _guarantee_journals(self):
        """The journals that hold guarantee entries (not the bank journal: its statement
        lines are rewritten when reconciled, so Odoo cannot hash it)."""
        return self.guarantee_fee_journal_id | self.guarantee_misc_journal_id

    def _guarantee_secure_journals(self):
        """Odoo's inalterability on every guarantee journal: a posted entry is hashed, never
        reset to draft nor edited; a reversal is the only correction."""
        journals = self.sudo()._guarantee_journals().filtered(
            lambda journal: not journal.restrict_mode_hash_table)
        if journals:
            journals.restrict_mode_hash_table = True

    def write(self, vals):
        result = super().write(vals)
        if {"guarantee_fee_journal_id", "guarantee_misc_journal_id"} & set(vals):
            self._guarantee_secure_journals()
        return result

    @api.model
    def _guarantee_setup_all_companies(self):
        """Run from data on install: every company that has a chart gets its settings."""
        self.sudo().search([])._guarantee_setup_accounting()

    @api.model
    def _guarantee_post_earlier_records(self):
        """Book the margins and paid fees confirmed before this addon was installed (on install
        and for the demo data of the contract addon), so the ledger ties out to the guarantee
        records. Companies whose guarantee accounts are not set are left to finance."""
        companies = self.sudo().search([]).filtered(
            lambda company: not company._guarantee_accounting_missing()
        )
        margins = self.env["guarantee.margin"].sudo().search([
            ("state", "=", "done"), ("move_id", "=", False), ("kind", "!=", "offset"),
            ("company_id", "in", companies.ids),
        ])
        for margin in margins:
            margin._guarantee_post_margin()
        fees = self.env["guarantee.fee"].sudo().search([
            ("state", "=", "paid"), ("invoice_id", "=", False),
            ("company_id", "in", companies.ids),
        ])
        for fee in fees:
            fee._guarantee_pay_invoices(fee.date_paid)

    def _guarantee_ledger_net_assets(self):
        """Assets minus liabilities of the company's posted entries (the hook of
        guarantee_risk's net assets when they are read from the ledger)."""
        self.ensure_one()
        [(balance,)] = self.env["account.move.line"].sudo()._read_group(
            [
                ("company_id", "=", self.id),
                ("parent_state", "=", "posted"),
                ("account_id.internal_group", "in", ("asset", "liability")),
            ],
            [],
            ["balance:sum"],
        )
        return balance or 0.0

    def _guarantee_accounting_missing(self):
        """Labels of the guarantee settings that are still empty."""
        self.ensure_one()
        names = ["guarantee_fee_journal_id", "guarantee_bank_journal_id",
                 "guarantee_misc_journal_id", "guarantee_receivable_account_id"]
        names += [name for name in GUARANTEE_ACCOUNTS
                  if name != "guarantee_deferred_fee_account_id"]
        return [self._fields[name].get_description(self.env)["string"]
                for name in names if not self[name]]
