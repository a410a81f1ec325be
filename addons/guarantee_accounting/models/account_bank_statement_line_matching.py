import re

from odoo import _, models

# the states in which a project waits for, or holds, its margin deposit
MARGIN_STATES = ("approved", "contracted", "active")


class AccountBankStatementLine(models.Model):
    """Money that names its project: a margin receipt nobody typed yet, or a fee invoice
    named by its project instead of its number."""

    _inherit = "account.bank.statement.line"

    def _guarantee_auto_reconcile(self):
        """After the lines matched by the reference of an existing item: a credit naming a
        project and paying exactly its margin still due becomes the margin receipt; one
        paying exactly the open fee invoice of that project pays it. The rest stays for the
        reconciliation screen."""
        result = super()._guarantee_auto_reconcile()
        for st_line in self.filtered(lambda line: not line.is_reconciled and line.amount > 0):
            project = st_line._guarantee_named_project()
            if not project:
                continue
            counterpart = st_line._guarantee_fee_invoice_line(project) \
                or st_line._guarantee_margin_receipt_line(project)
            if counterpart:
                st_line._guarantee_reconcile_with(counterpart)
        return result

    def _guarantee_tokens(self):
        return [token for token in re.split(r"[\s,;:()，；：（）]+", " ".join(
            filter(None, [self.payment_ref, self.ref]))) if token]

    def _guarantee_named_project(self):
        """The one project of the line's company its reference names (project number, or the
        number of one of its contracts)."""
        self.ensure_one()
        tokens = self._guarantee_tokens()
        if not tokens:
            return self.env["guarantee.project"]
        company = [("company_id", "=", self.company_id.id)]
        projects = self.env["guarantee.project"].sudo().search(company + [("name", "in", tokens)])
        projects |= self.env["guarantee.contract"].sudo().search(
            company + [("name", "in", tokens)]).project_id
        return projects if len(projects) == 1 else self.env["guarantee.project"]

    def _guarantee_fee_invoice_line(self, project):
        """The receivable line of the one open fee invoice of ``project`` whose residual is
        the line's amount."""
        invoices = self.env["account.move"].sudo().search([
            ("company_id", "=", self.company_id.id), ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial")),
            ("guarantee_project_id", "=", project.id),
        ])
        lines = invoices.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
            and self.currency_id.compare_amounts(line.amount_residual, self.amount) == 0
        )
        return lines if len(lines) == 1 else self.env["account.move.line"]

    def _guarantee_margin_receipt_line(self, project):
        """Record the margin receipt the line pays (exactly what the project still owes of
        its margin) and return the bank clearing line of its entry."""
        currency = project.currency_id
        due = project.margin_required - project.margin_balance
        if (project.state not in MARGIN_STATES or currency.compare_amounts(due, 0.0) <= 0
                or currency.compare_amounts(due, self.amount) != 0
                or currency != self.currency_id):
            return self.env["account.move.line"]
        margin = self.env["guarantee.margin"].sudo().create({
            "project_id": project.id,
            "kind": "receipt",
            "amount": self.amount,
            "date": self.date,
            "reference": self.guarantee_transaction_id or self.payment_ref,
            "note": _("Recorded from the bank statement line %(line)s (%(reference)s).",
                      line=self.display_name, reference=self.payment_ref or ""),
        })
        margin.action_done()
        clearing = self.company_id.guarantee_bank_clearing_account_id
        return margin.move_id.line_ids.filtered(
            lambda line: line.account_id == clearing and not line.reconciled)
