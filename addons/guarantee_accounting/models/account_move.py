from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    guarantee_project_id = fields.Many2one(
        "guarantee.project", string="Guarantee Project", index="btree_not_null", copy=False,
        readonly=True,
    )
    guarantee_fee_ids = fields.One2many("guarantee.fee", "invoice_id", string="Guarantee Fees")

    def _guarantee_sync_paid_fees(self):
        """A fee invoice paid in full (payment, reconciled statement line) marks its fees paid."""
        for move in self.filtered(lambda m: m.payment_state in ("paid", "in_payment")):
            fees = move.guarantee_fee_ids.filtered(lambda f: f.state == "due")
            if fees:
                fees.with_context(guarantee_fee_invoice_paid=True).action_mark_paid(
                    max(move.line_ids.matched_credit_ids.mapped("max_date") or [move.date])
                )
