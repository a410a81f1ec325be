from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    guarantee_project_id = fields.Many2one(
        "guarantee.project", string="Guarantee Project", index="btree_not_null", copy=False,
        readonly=True,
    )
    guarantee_fee_ids = fields.One2many("guarantee.fee", "invoice_id", string="Guarantee Fees")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_guarantee_entry(self):
        """An entry of a guarantee record is reversed, never deleted: say so in words rather
        than let the database refuse with the name of a foreign key."""
        entries = self.filtered(lambda move: move.guarantee_project_id or move.guarantee_fee_ids)
        if entries:
            raise UserError(
                _("%(entries)s record guarantee business (%(projects)s) and cannot be deleted. "
                  "Reverse the entry, or cancel the guarantee record it belongs to, instead.",
                  entries="、".join(entries.mapped("display_name")),
                  projects="、".join(
                      (entries.guarantee_project_id | entries.guarantee_fee_ids.project_id)
                      .mapped("name")
                  ))
            )

    def _post(self, soft=True):
        guarantee = self if self.env.context.get("guarantee_seal_entry") else self.filtered(
            lambda move: move.guarantee_project_id or move.guarantee_fee_ids)
        for move in guarantee:
            self._guarantee_check_lock_dates(
                move.company_id, move.journal_id,
                move.invoice_date if move.is_invoice(include_receipts=True) and move.invoice_date
                else move.date,
                move.ref or move.name)
        posted = super()._post(soft=soft)
        sealed = posted if self.env.context.get("guarantee_seal_entry") else posted.filtered(
            "guarantee_project_id"
        )
        self.env["guarantee.hash.chain"]._seal(sealed, "entry_posted")
        return posted

    def _guarantee_chain_payload(self):
        """The posted amounts of a guarantee entry (what must never be edited, only reversed)."""
        self.ensure_one()
        return {
            "name": self.name,
            "date": self.date,
            "journal": self.journal_id.id,
            "project": self.guarantee_project_id.id,
            "lines": [
                [line.account_id.id, line.partner_id.id, line.debit, line.credit,
                 line.amount_currency, line.currency_id.id]
                for line in self.line_ids.sorted("id")
            ],
        }

    def _guarantee_sync_paid_fees(self):
        """A fee invoice paid in full (payment, reconciled statement line) marks its fees paid."""
        for move in self.filtered(lambda m: m.payment_state in ("paid", "in_payment")):
            fees = move.guarantee_fee_ids.filtered(lambda f: f.state == "due")
            if fees:
                fees.with_context(guarantee_fee_invoice_paid=True).action_mark_paid(
                    max(move.line_ids.matched_credit_ids.mapped("max_date") or [move.date])
                )

    @api.model
    def _guarantee_check_lock_dates(self, company, journal, date, label):
        """Refuse a guarantee entry dated on or before a lock date of ``company`` that applies
        to ``journal`` (fiscal year, sales or purchases, hard lock; a user's exception counts).
        Odoo would move such an entry to the first open day; a guarantee entry keeps the date
        of its business, so it is refused instead."""
        if not date:
            return
        violated = company._get_violated_lock_dates(fields.Date.to_date(date), False, journal)
        if violated:
            raise UserError(_(
                "%(entry)s cannot be booked on %(date)s: the books of %(company)s are locked "
                "(%(locks)s). Guarantee entries keep the date of their business; book it in an "
                "open period, or ask the chief accountant to reopen the period.",
                entry=label or _("The guarantee entry"), date=fields.Date.to_string(
                    fields.Date.to_date(date)),
                company=company.name,
                locks=self.env["res.company"]._format_lock_dates(violated)))
