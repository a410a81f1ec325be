from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.guarantee_platform.tools.connectors import ConnectorError

from .. import connectors  # noqa: F401  (registers the adapters)

ADMIN_GROUP = "guarantee_base.group_guarantee_admin"


class GuaranteeBankConnector(models.Model):
    """How to reach one bank account of the company: protocol, address, credentials."""

    _name = "guarantee.bank.connector"
    _description = "Bank Connector"
    _inherit = ["mail.thread", "guarantee.connector.mixin"]
    _check_company_auto = True
    _connector_kind = "bank"

    name = fields.Char(tracking=True)
    protocol = fields.Selection(
        selection_add=[("soap", "SOAP (WSDL)")], ondelete={"soap": "set default"},
        tracking=True,
    )
    url = fields.Char(string="Service URL", required=True, tracking=True)
    base_url = fields.Char(related="url", readonly=False, required=False)
    wsdl_url = fields.Char(string="WSDL URL", help="SOAP only; defaults to the URL + ?wsdl.")
    account_number = fields.Char(required=True, tracking=True)
    journal_id = fields.Many2one(
        "account.journal", string="Bank Journal", required=True, check_company=True,
        domain="[('type', '=', 'bank')]",
    )
    bank_partner_id = fields.Many2one(
        "res.partner", string="Bank", tracking=True, index=True,
        help="The creditor bank of the projects this connector's notifications may touch; "
        "a notification about a project of another creditor is refused.",
    )
    username = fields.Char(secret=True, copy=False)
    secret = fields.Char(string="Password / API Key", secret=True, copy=False)
    api_key = fields.Char(related="secret", readonly=False, secret=True)
    notification_secret = fields.Char(
        string="Notification HMAC Secret", secret=True, copy=False,
        help="Shared secret the bank signs its notifications with (HMAC-SHA256).",
    )
    last_balance = fields.Monetary(readonly=True, currency_field="currency_id")
    last_balance_date = fields.Datetime(readonly=True)
    last_sync_date = fields.Date(string="Transactions Downloaded Since", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be positive."),
        ("retries_positive", "CHECK(max_retries >= 0)", "Retries cannot be negative."),
    ]

    def action_fetch_balance(self):
        """Ask the bank for the balance. Finance runs it on a connector it may only read:
        the answer is recorded by the server, not written by the user."""
        self._check_can_query_bank()
        for connector in self.sudo():
            answer = connector._bank_call("balance")
            connector.write({"last_balance": answer["balance"],
                             "last_balance_date": fields.Datetime.now()})
        return True

    def action_download_transactions(self):
        """Download the transactions since the last download into statement lines, and
        match what can be matched (see ``_download_transactions``)."""
        self._check_can_query_bank()
        for connector in self.sudo():
            connector._download_transactions()
        return True

    def _check_can_query_bank(self):
        """Finance (and the administrator) ask the bank; the others may not."""
        user = self.env.user
        if not self.env.su and not (user.has_group("guarantee_base.group_guarantee_finance")
                                    or user.has_group(ADMIN_GROUP)):
            raise AccessError(_("Only finance asks the bank for balances and statements."))
        self.check_access("read")

    def _adapter(self):
        """The adapter of this connector's protocol, logging into the shared call log."""
        return self._connector_adapter()

    def _connector_config(self, **options):
        connector = self.sudo()
        return super()._connector_config(
            account_number=connector.account_number, wsdl_url=connector.wsdl_url or "",
            **options,
        )

    def _connector_username(self):
        return self.username

    def _bank_call(self, operation, *args):
        """Run ``operation`` of the adapter; a failure becomes a UserError (already logged)."""
        try:
            return getattr(self._adapter(), operation)(*args)
        except ConnectorError as error:
            raise UserError(_("The bank %(name)s did not answer %(operation)s: %(error)s",
                              name=self.name, operation=operation,
                              error=self._redact(str(error)))) from error

    def _download_transactions(self):
        """New bank transactions become statement lines of the connector's journal, once."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        since = self.last_sync_date or fields.Date.subtract(today, days=30)
        transactions = self._bank_call("transactions", since)
        Line = self.env["account.bank.statement.line"].sudo()
        known = set(Line.search([
            ("journal_id", "=", self.journal_id.id),
            ("guarantee_transaction_id", "in", [t["id"] for t in transactions]),
        ]).mapped("guarantee_transaction_id"))
        new = []
        for transaction in transactions:
            if transaction["id"] in known:
                continue
            known.add(transaction["id"])
            new.append({
                "journal_id": self.journal_id.id,
                "date": transaction["date"],
                "amount": transaction["amount"],
                "payment_ref": transaction["reference"] or transaction["id"],
                "partner_name": transaction["partner_name"] or False,
                "account_number": transaction["partner_account"] or False,
                "guarantee_transaction_id": transaction["id"],
                "guarantee_connector_id": self.id,
            })
        lines = Line.create(new)
        lines._guarantee_auto_reconcile()
        self.last_sync_date = fields.Date.context_today(self)
        return lines

    def _inbound_secret(self):
        return self.notification_secret
