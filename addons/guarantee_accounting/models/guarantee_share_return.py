from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .guarantee_payment_order import LIVE_STATES


class GuaranteeShareReturn(models.Model):
    """A sharing party's part of a recovery, owed back to it (Cr payable to the party in the
    recovery's entry) and paid through a payment order (Dr payable, Cr bank)."""

    _name = "guarantee.share.return"
    _description = "Recovery Shared Back"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "guarantee.entry.mixin",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.share.return"
    _order = "id desc"
    _check_company_auto = True

    _lock_action_fields = (
        "state", "move_id", "recovery_id", "agreement_id", "amount", "date_paid",
    )
    _lock_readonly_states = ("paid", "cancelled")
    _lock_unlink_states = ()
    # Born to pay with its recovery; paid by its payment order, cancelled with the recovery
    # while no order is with the bank. Both ends are final.
    _lock_initial_state = "to_pay"
    _lock_transitions = {
        "_guarantee_on_paid": (("to_pay",), "paid"),
        "_cancel": (("to_pay",), "cancelled"),
    }

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    recovery_id = fields.Many2one(
        "guarantee.recovery", required=True, index=True, ondelete="restrict", readonly=True,
        check_company=True,
    )
    project_id = fields.Many2one(
        related="recovery_id.project_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="recovery_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="recovery_id.currency_id", store=True, precompute=True
    )
    agreement_id = fields.Many2one(
        "guarantee.share.agreement", string="Agreement", required=True, index=True,
        ondelete="restrict", readonly=True, check_company=True,
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, index=True, string="Sharing Party"
    )
    amount = fields.Monetary(readonly=True, currency_field="currency_id", tracking=True)
    date = fields.Date(related="recovery_id.date", store=True, string="Recovered On")
    state = fields.Selection(
        [("to_pay", "To Pay"), ("paid", "Paid"), ("cancelled", "Cancelled")],
        default="to_pay", required=True, readonly=True, copy=False, index=True, tracking=True,
    )
    date_paid = fields.Date(readonly=True, copy=False, tracking=True)
    payment_order_ids = fields.One2many(
        "guarantee.payment.order", "share_return_id", string="Payment Orders"
    )
    payee_bank_id = fields.Many2one(
        "res.partner.bank", string="Party Account", compute="_compute_payee_bank_id",
        store=True, readonly=False, copy=False, tracking=True,
        domain="[('partner_id.commercial_partner_id', '=', partner_id)]",
        help="The sharing party's own account its part is paid back to; the payment order "
        "pays this account and no other.",
    )

    @api.depends("partner_id")
    def _compute_payee_bank_id(self):
        for share_return in self:
            share_return.payee_bank_id = share_return.partner_id.commercial_partner_id.bank_ids[:1]

    @api.constrains("payee_bank_id", "agreement_id")
    def _check_payee_bank(self):
        for share_return in self.filtered("payee_bank_id"):
            if share_return.payee_bank_id.partner_id.commercial_partner_id \
                    != share_return.partner_id.commercial_partner_id:
                raise ValidationError(_("The account of %(name)s must belong to its sharing "
                                        "party %(party)s.", name=share_return.display_name,
                                        party=share_return.partner_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._lock_is_unlocked():
            raise UserError(_("A recovery's parts are computed when it is posted."))
        return super().create(vals_list)

    def action_create_payment_order(self):
        """The transfer of the party's part, through the company's bank connector if any."""
        self.ensure_one()
        if self.state != "to_pay":
            raise UserError(_("%(name)s is not waiting to be paid.", name=self.name))
        company = self.company_id
        connector = self.env["guarantee.bank.connector"].search(
            [("company_id", "=", company.id),
             ("journal_id", "=", company.guarantee_bank_journal_id.id)], limit=1,
        )
        order = self.env["guarantee.payment.order"].create({
            "project_id": self.project_id.id,
            "share_return_id": self.id,
            "partner_id": self.partner_id.id,
            "partner_bank_id": self.payee_bank_id.id,
            "amount": self.amount,
            "connector_id": connector.id,
            "reference": self.name,
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.payment.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def _guarantee_on_paid(self, date):
        """The transfer is done: Dr payable to the party, Cr bank."""
        for share_return in self:
            if share_return.state != "to_pay":
                raise UserError(_("%(name)s is not waiting to be paid.", name=share_return.name))
            company = share_return.company_id
            share_return._guarantee_post_move(
                company.guarantee_misc_journal_id,
                date,
                _("Recovery shared back %(name)s to %(party)s", name=share_return.name,
                  party=share_return.partner_id.name),
                [
                    (company.guarantee_share_payable_account_id, share_return.amount, 0.0,
                     share_return.partner_id),
                    (company.guarantee_bank_clearing_account_id, 0.0, share_return.amount,
                     share_return.partner_id),
                ],
                project=share_return.project_id,
            )
            share_return._unlocked().write({"state": "paid", "date_paid": date})
            share_return._reconcile_payable()

    def _reconcile_payable(self):
        """The recovery's credit to the party and this payment's debit clear each other."""
        self.ensure_one()
        account = self.company_id.guarantee_share_payable_account_id
        lines = (self.recovery_id.move_id | self.move_id).line_ids.filtered(
            lambda line: line.account_id == account and line.partner_id == self.partner_id
            and not line.reconciled)
        if len(lines) == 2:
            lines.reconcile()

    def _check_can_cancel(self):
        """A part whose transfer went to the bank (or was paid) stays."""
        busy = self.filtered(lambda r: r.state == "paid" or r.payment_order_ids.filtered(
            lambda o: o.state in LIVE_STATES and o.state != "draft"))
        if busy:
            raise UserError(_("%(names)s went to the bank: the recovery cannot be cancelled.",
                              names=", ".join(busy.mapped("name"))))

    def _cancel(self):
        self._check_can_cancel()
        self.payment_order_ids.filtered(lambda o: o.state == "draft").sudo().unlink()
        self._unlocked().write({"state": "cancelled"})
