from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class GuaranteeFee(models.Model):
    _name = "guarantee.fee"
    _inherit = ["guarantee.fee", "guarantee.flow.source"]

    invoice_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, copy=False, index="btree_not_null",
        ondelete="restrict",
    )
    invoice_payment_state = fields.Selection(
        related="invoice_id.payment_state", string="Invoice Payment"
    )

    _sql_constraints = [
        ("invoice_unique", "unique(invoice_id)", "A fee is invoiced on its own invoice."),
    ]

    def _lock_state(self):
        """An invoiced fee is locked like a paid one: its invoice is the record."""
        state = super()._lock_state()
        if self.invoice_id and state in ("due", "cancelled"):
            return "invoiced" if state == "due" else "credited"
        return state

    def _lock_state_label(self, state):
        labels = {"invoiced": _("invoiced"), "credited": _("credited")}
        return labels.get(state) or super()._lock_state_label(state)

    def _lock_fields_for(self, state):
        if state in ("invoiced", "credited"):
            return set(self._fields)
        return super()._lock_fields_for(state)

    def _lock_action_field_names(self):
        return super()._lock_action_field_names() | {"invoice_id"}

    def action_cancel(self, reason=None):
        """An invoiced fee is cancelled by a credit note for its invoice, with the reason."""
        invoiced = self.filtered(lambda fee: fee.invoice_id and fee.state == "due")
        if invoiced and not (reason or "").strip():
            return {
                "type": "ir.actions.act_window",
                "name": _("Reason for the Credit Note"),
                "res_model": "guarantee.reversal.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_res_model": self._name, "default_res_ids": self.ids},
            }
        for fee in invoiced:
            if fee.invoice_id.payment_state not in ("not_paid", "reversed"):
                raise UserError(
                    _("The invoice %(invoice)s of %(fee)s has payments: mark the fee paid, "
                      "or reverse the payment first.",
                      invoice=fee.invoice_id.name, fee=fee.display_name)
                )
        return super().action_cancel(reason)

    def action_reset_due(self):
        if self.filtered("invoice_id"):
            raise UserError(_("A fee whose invoice was credited stays cancelled; generate "
                              "the schedule again."))
        return super().action_reset_due()

    def _on_cancel(self, reason=None):
        result = super()._on_cancel(reason)
        for fee in self.filtered("invoice_id"):
            invoice = fee.invoice_id
            if invoice.state != "posted" or invoice.reversal_move_ids:
                continue
            refund = invoice.sudo()._reverse_moves(
                [{
                    "date": fields.Date.context_today(self),
                    "invoice_date": fields.Date.context_today(self),
                    "ref": _("Credit note for %(invoice)s: %(reason)s",
                             invoice=invoice.name, reason=reason),
                }],
                cancel=True,
            )
            fee.message_post(
                body=_("Invoice %(invoice)s credited by %(refund)s, by %(user)s: %(reason)s",
                       invoice=invoice.name, refund=refund.name, user=self.env.user.name,
                       reason=reason)
            )
        return result

    def _discard_if_unbooked(self):
        unbooked = self.filtered(lambda fee: not fee.invoice_id)
        return super(GuaranteeFee, unbooked)._discard_if_unbooked()

    def action_mark_paid(self, date=None):
        """Paid fee ⇒ paid invoice: invoice it if needed and register the payment in the
        guarantee bank journal (unless the invoice itself was just paid)."""
        result = super().action_mark_paid(date)
        if not self.env.context.get("guarantee_fee_invoice_paid"):
            self.with_context(guarantee_fee_invoice_paid=True)._guarantee_pay_invoices(date)
        return result

    def action_create_invoice(self):
        for fee in self:
            if fee.invoice_id:
                raise UserError(_("%(fee)s is already invoiced in %(invoice)s.",
                                  fee=fee.display_name, invoice=fee.invoice_id.name))
            if fee.state == "cancelled":
                raise UserError(
                    _("A cancelled fee is not invoiced (%(fee)s).", fee=fee.display_name)
                )
            fee._guarantee_create_invoice()
        return True

    @api.readonly
    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
        }

    def _guarantee_create_invoice(self):
        """Dr receivable, Cr guarantee fee income (or deferred fee income): an out_invoice."""
        self.ensure_one()
        company = self.company_id
        if not company.guarantee_fee_journal_id or not company.guarantee_receivable_account_id:
            raise UserError(
                _("Set the guarantee fee journal and receivable account of %(company)s.",
                  company=company.name)
            )
        income = (
            company.guarantee_deferred_fee_account_id
            if company.guarantee_use_deferred_fee and company.guarantee_deferred_fee_account_id
            else company.guarantee_fee_income_account_id
        )
        invoice = self.env["account.move"].sudo().create({
            "move_type": "out_invoice",
            "company_id": company.id,
            "journal_id": company.guarantee_fee_journal_id.id,
            "partner_id": self.partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.date_due,
            "invoice_date_due": self.date_due,
            "ref": self.project_id.name,
            "guarantee_project_id": self.project_id.id,
            "invoice_line_ids": [Command.create({
                "name": _("Guarantee fee %(project)s, %(start)s – %(end)s",
                          project=self.project_id.name, start=self.date_from, end=self.date_to),
                "quantity": 1,
                "price_unit": self.amount,
                "account_id": income.id,
                "tax_ids": [Command.clear()],
            })],
        })
        invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").account_id = (
            company.guarantee_receivable_account_id
        )
        invoice.action_post()
        self.sudo()._unlocked().invoice_id = invoice
        return invoice

    def _guarantee_pay_invoices(self, date):
        for fee in self:
            invoice = fee.invoice_id or fee._guarantee_create_invoice()
            if invoice.payment_state in ("paid", "in_payment", "reversed"):
                continue
            journal = fee.company_id.guarantee_bank_journal_id
            if not journal:
                raise UserError(_("Set the guarantee bank journal of %(company)s.",
                                  company=fee.company_id.name))
            payment_date = date or fields.Date.context_today(self)
            self.env["account.move"]._guarantee_check_lock_dates(
                fee.company_id, journal, payment_date,
                _("The payment of %(fee)s", fee=fee.display_name))
            self.env["account.payment.register"].sudo().with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({
                "payment_date": payment_date,
                "journal_id": journal.id,
                "communication": invoice.name,
            })._create_payments()
