import math

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_risk.tools import risk_sharing


class GuaranteeShareFee(models.Model):
    """再担保费: what an agreement's counterparty charges for covering a project, once or
    for each year of the guarantee. Billed as a vendor bill to the counterparty (Dr fee
    expense, Cr payable); a fee the borrower pays is collected on the counterparty's behalf
    (invoiced to the borrower and billed by the counterparty through the same pass-through
    account, never income nor expense)."""

    _name = "guarantee.share.fee"
    _description = "Re-guarantee Fee"
    _inherit = ["mail.thread", "guarantee.lock.mixin"]
    _order = "date, id"
    _check_company_auto = True

    _lock_action_fields = (
        "state", "bill_id", "invoice_id", "project_id", "agreement_id", "base_amount",
        "share", "rate", "amount", "payer",
    )
    _lock_readonly_states = ("billed", "cancelled")
    _lock_unlink_states = ("draft",)
    # Scheduled to bill; billing posts its bill (or drops a fee that came to nothing), and a
    # billed fee is cancelled only by crediting its bill.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_bill": (("draft",), "billed"),
        "action_cancel": (("draft", "billed"), "cancelled"),
    }

    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="restrict", readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="project_id.currency_id", store=True, precompute=True)
    agreement_id = fields.Many2one(
        "guarantee.share.agreement", string="Agreement", required=True, index=True,
        ondelete="restrict", readonly=True, check_company=True,
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, index=True, string="Counterparty"
    )
    date = fields.Date(string="Due On", required=True, index=True)
    period = fields.Integer(string="Year", default=1, help="The year of the guarantee it is for.")
    base_amount = fields.Monetary(readonly=True, currency_field="currency_id",
                                  help="The guaranteed amount or the outstanding principal.")
    share = fields.Float(string="Share (%)", digits=(16, 2), readonly=True)
    rate = fields.Float(string="Rate (%)", digits=(16, 4), readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id", tracking=True)
    payer = fields.Selection(
        [("company", "The Company"), ("borrower", "The Borrower (collected on its behalf)")],
        readonly=True,
    )
    state = fields.Selection(
        [("draft", "To Bill"), ("billed", "Billed"), ("cancelled", "Cancelled")],
        default="draft", required=True, readonly=True, copy=False, index=True, tracking=True,
    )
    bill_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False,
                              ondelete="restrict")
    invoice_id = fields.Many2one(
        "account.move", string="Invoice to the Borrower", readonly=True, copy=False,
        ondelete="restrict",
    )

    @api.depends("project_id", "partner_id", "period")
    def _compute_display_name(self):
        for fee in self:
            fee.display_name = "%s · %s · %s" % (fee.project_id.name or "",
                                                 fee.partner_id.name or "", fee.period)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._lock_is_unlocked():
            raise UserError(_("Re-guarantee fees are scheduled when a covered loan is "
                              "released."))
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions

    def action_bill(self):
        """Bill the fees due: the amount on the base of the day, the vendor bill (and, for a
        fee the borrower pays, its invoice) posted."""
        wrong = self.filtered(lambda fee: fee.state != "draft")
        if wrong:
            raise UserError(_("Only fees still to bill can be billed (%(fees)s).",
                              fees=", ".join(wrong.mapped("display_name"))))
        for fee in self:
            fee.company_id._guarantee_share_check_setup()
            fee._refresh_amount()
            if fee.currency_id.is_zero(fee.amount):
                fee._unlocked().write({"state": "cancelled"})
                continue
            fee._create_bills()
        return True

    def action_cancel(self, reason=None):
        """A fee still to bill is dropped; a billed one is credited with the reason."""
        for fee in self:
            if fee.state == "cancelled":
                raise UserError(_("%(fee)s is already cancelled.", fee=fee.display_name))
            if fee.state == "billed":
                if not (reason or "").strip():
                    raise UserError(_("Give the reason for crediting %(fee)s.",
                                      fee=fee.display_name))
                for move in fee.bill_id | fee.invoice_id:
                    move.sudo()._reverse_moves([{
                        "date": fields.Date.context_today(fee),
                        "invoice_date": fields.Date.context_today(fee),
                        "ref": _("Credit note for %(move)s: %(reason)s", move=move.name,
                                 reason=reason),
                    }], cancel=True)
            fee._unlocked().write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------ business

    @api.model
    def _schedule_for(self, projects):
        """The fees of each covered line whose agreement charges one: once at the loan
        release, or at the start of each year of the term."""
        vals_list = []
        for project in projects:
            start = project.loan_release_date or fields.Date.context_today(self)
            for line in project.share_ids.filtered(
                    lambda s: s.eligible and s.agreement_id.fee_rate > 0):
                agreement = line.agreement_id
                if project.share_fee_ids.filtered(lambda f, a=agreement: f.agreement_id == a):
                    continue
                years = 1 if agreement.fee_period == "once" else max(
                    math.ceil(project.term_months / 12.0), 1)
                for year in range(years):
                    vals_list.append({
                        "project_id": project.id,
                        "agreement_id": agreement.id,
                        "date": start + relativedelta(years=year),
                        "period": year + 1,
                        "share": line.share,
                        "rate": agreement.fee_rate,
                        "payer": agreement.fee_payer,
                    })
        fees = self._unlocked().create(vals_list)
        fees._refresh_amount()
        return fees

    def _refresh_amount(self):
        for fee in self:
            project = fee.project_id
            base = (project.outstanding_principal if fee.agreement_id.fee_base == "balance"
                    else project.amount)
            fee._unlocked().write({
                "base_amount": base,
                "amount": risk_sharing.fee_amount(base, fee.share, fee.rate),
            })

    def _create_bills(self):
        self.ensure_one()
        company = self.company_id
        on_behalf = self.payer == "borrower"
        account = (company.guarantee_share_fee_passthrough_account_id if on_behalf
                   else company.guarantee_share_fee_account_id)
        label = _("Re-guarantee fee %(project)s, year %(year)s, %(share).2f%% × %(rate).4f%%",
                  project=self.project_id.name, year=self.period, share=self.share,
                  rate=self.rate)
        Move = self.env["account.move"].sudo()
        bill = Move.create({
            "move_type": "in_invoice",
            "company_id": company.id,
            "journal_id": company.guarantee_purchase_journal_id.id,
            "partner_id": self.partner_id.id,
            "invoice_date": self.date,
            "date": self.date,
            "ref": "%s-%s" % (self.project_id.name, self.period),
            "guarantee_project_id": self.project_id.id,
            "invoice_line_ids": [Command.create({
                "name": label, "quantity": 1, "price_unit": self.amount,
                "account_id": account.id, "tax_ids": [Command.clear()],
            })],
        })
        bill.action_post()
        values = {"state": "billed", "bill_id": bill.id}
        if on_behalf:
            invoice = Move.create({
                "move_type": "out_invoice",
                "company_id": company.id,
                "journal_id": company.guarantee_fee_journal_id.id,
                "partner_id": self.project_id.partner_id.id,
                "invoice_date": self.date,
                "date": self.date,
                "ref": self.project_id.name,
                "guarantee_project_id": self.project_id.id,
                "invoice_line_ids": [Command.create({
                    "name": _("%(label)s, collected for %(party)s", label=label,
                              party=self.partner_id.name),
                    "quantity": 1, "price_unit": self.amount, "account_id": account.id,
                    "tax_ids": [Command.clear()],
                })],
            })
            invoice.action_post()
            values["invoice_id"] = invoice.id
        self._unlocked().write(values)
