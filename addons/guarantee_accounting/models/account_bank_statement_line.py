import re

from odoo import Command, fields, models


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    guarantee_transaction_id = fields.Char(
        string="Bank Transaction ID", readonly=True, copy=False, index="btree_not_null"
    )
    guarantee_connector_id = fields.Many2one(
        "guarantee.bank.connector", string="Bank Connector", readonly=True, copy=False
    )

    _sql_constraints = [
        ("guarantee_transaction_unique", "unique(journal_id, guarantee_transaction_id)",
         "This bank transaction is already imported."),
    ]

    def _guarantee_auto_reconcile(self):
        """Reconcile the lines whose reference and amount match one open guarantee item (a
        payment order, a fee invoice or a margin receipt); the rest stay for the
        reconciliation screen."""
        for st_line in self:
            counterpart = st_line._guarantee_matching_line()
            if counterpart:
                st_line._guarantee_reconcile_with(counterpart)
        return True

    def _guarantee_matching_line(self):
        self.ensure_one()
        _liquidity, suspense, _other = self._seek_for_lines()
        if not suspense or self.is_reconciled:
            return self.env["account.move.line"]
        tokens = [
            token for token in re.split(r"[\s,;:()]+", " ".join(
                filter(None, [self.payment_ref, self.ref])
            )) if token
        ]
        candidates = self._guarantee_candidate_moves(tokens)
        lines = candidates.line_ids.filtered(
            lambda line: line.account_id.reconcile
            and not line.reconciled
            and line.account_id.account_type != "asset_cash"
            and self.currency_id.compare_amounts(-line.amount_residual, suspense.balance) == 0
        )
        return lines if len(lines) == 1 else self.env["account.move.line"]

    def _guarantee_candidate_moves(self, tokens):
        """Entries of payment orders, margin receipts and fee invoices named in ``tokens``."""
        if not tokens:
            return self.env["account.move"]
        company_domain = [("company_id", "=", self.company_id.id)]
        orders = self.env["guarantee.payment.order"].sudo().search(company_domain + [
            ("state", "=", "done"), "|", ("name", "in", tokens), ("request_id", "in", tokens),
        ])
        margins = self.env["guarantee.margin"].sudo().search(company_domain + [
            ("state", "=", "done"), ("kind", "=", "receipt"),
            "|", ("name", "in", tokens), ("reference", "in", tokens),
        ])
        invoices = self.env["account.move"].sudo().search(company_domain + [
            ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("guarantee_project_id", "!=", False), ("name", "in", tokens),
        ])
        return orders.compensation_id.move_id | margins.move_id | invoices

    def _guarantee_reconcile_with(self, counterpart):
        """Turn the suspense line into the counterpart's account and reconcile both."""
        _liquidity, suspense, _other = self._seek_for_lines()
        self.move_id.with_context(
            skip_account_move_synchronization=True, skip_readonly_check=True
        ).write({"line_ids": [Command.update(suspense.id, {
            "account_id": counterpart.account_id.id,
            "partner_id": counterpart.partner_id.id,
        })]})
        (suspense | counterpart).reconcile()
