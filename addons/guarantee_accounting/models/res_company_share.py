from odoo import _, fields, models
from odoo.exceptions import UserError

# field -> (code in the Chinese chart, code elsewhere, English name, Chinese name, type, reconcile)
# The Chinese codes follow the 企业会计准则 chart: 1212 应收分保账款, 2261 应付分保账款,
# 6541 分出保费; 2241 其他应付款 holds the fees collected on the counterparties' behalf.
SHARE_ACCOUNTS = {
    "guarantee_share_receivable_account_id": (
        "121200", "121800", "Receivable from Risk-Sharing Parties", "应收分保账款",
        "asset_receivable", True),
    "guarantee_share_payable_account_id": (
        "226100", "211900", "Payable to Risk-Sharing Parties", "应付分保账款",
        "liability_payable", True),
    "guarantee_share_fee_account_id": (
        "654100", "619600", "Re-guarantee Fee Expense", "分出保费（再担保费）", "expense", False),
    "guarantee_share_fee_passthrough_account_id": (
        "224102", "219900", "Re-guarantee Fees Collected on Behalf", "代收再担保费",
        "liability_current", True),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_share_receivable_account_id = fields.Many2one(
        "account.account", string="Receivable from Risk-Sharing Parties", check_company=True,
        help="Claims accepted by a re-guarantor, bank or fund after a compensation.",
    )
    guarantee_share_payable_account_id = fields.Many2one(
        "account.account", string="Payable to Risk-Sharing Parties", check_company=True,
        help="Their part of recoveries, paid back to them.",
    )
    guarantee_share_fee_account_id = fields.Many2one(
        "account.account", string="Re-guarantee Fee Expense", check_company=True
    )
    guarantee_share_fee_passthrough_account_id = fields.Many2one(
        "account.account", string="Re-guarantee Fees Collected on Behalf", check_company=True,
        help="Fees the borrower pays for the re-guarantor: never income nor expense.",
    )
    guarantee_purchase_journal_id = fields.Many2one(
        "account.journal", string="Re-guarantee Fee Bill Journal", check_company=True,
        domain="[('type', '=', 'purchase')]",
    )

    def _guarantee_setup_accounts(self):
        super()._guarantee_setup_accounts()
        self._guarantee_fill_accounts(SHARE_ACCOUNTS)

    def _guarantee_setup_journals(self):
        # chosen before the guarantee journals are secured (super): the company's purchase
        # journal set here before they were hashed is replaced, not hashed
        journal = self.guarantee_purchase_journal_id
        if not journal or (not journal.restrict_mode_hash_table
                           and self._guarantee_journal_is_shared(journal)):
            # the re-guarantee fee bills get a journal of their own, hashed: hashing the
            # company's purchase journal would lock every vendor bill of the company
            Journal = self.env["account.journal"].sudo()
            self.guarantee_purchase_journal_id = Journal.search(
                [*Journal._check_company_domain(self), ("code", "=", "GSHB")], limit=1
            ) or Journal.create({
                "name": _("Re-guarantee Fee Bills"),
                "code": "GSHB",
                "type": "purchase",
                "company_id": self.id,
                "default_account_id": self.guarantee_share_fee_account_id.id,
                "restrict_mode_hash_table": True,
            })
        super()._guarantee_setup_journals()

    def _guarantee_journal_is_shared(self, journal):
        """Whether ``journal`` holds entries that are not guarantee entries (vendor bills of
        the company): it was chosen before guarantee journals were hashed, and is left as it
        is rather than hashed."""
        Move = self.env["account.move"].sudo()
        return bool(Move.search_count(
            [("journal_id", "=", journal.id), ("guarantee_project_id", "=", False)], limit=1))

    def _guarantee_journals(self):
        return super()._guarantee_journals() | self.guarantee_purchase_journal_id

    def write(self, vals):
        result = super().write(vals)
        if "guarantee_purchase_journal_id" in vals:
            self._guarantee_secure_journals()
        return result

    def _guarantee_share_check_setup(self):
        """Refuse, naming them, when the risk-sharing accounts are not set."""
        self.ensure_one()
        names = list(SHARE_ACCOUNTS) + ["guarantee_purchase_journal_id"]
        missing = [self._fields[name].get_description(self.env)["string"]
                   for name in names if not self[name]]
        missing += self._guarantee_accounting_missing()
        if missing:
            raise UserError(_("The risk-sharing accounting settings of %(company)s are "
                              "incomplete: %(missing)s.",
                              company=self.name, missing=", ".join(missing)))
