from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .guarantee_payment_order import LIVE_STATES


class GuaranteeMargin(models.Model):
    _name = "guarantee.margin"
    _inherit = ["guarantee.margin", "guarantee.entry.mixin"]

    payment_order_ids = fields.One2many(
        "guarantee.payment.order", "margin_id", string="Payment Orders"
    )
    recovery_id = fields.Many2one(
        "guarantee.recovery", string="Recovery", readonly=True, copy=False, index="btree_not_null"
    )
    payee_bank_id = fields.Many2one(
        "res.partner.bank", string="Customer Account", compute="_compute_payee_bank_id",
        store=True, readonly=False, copy=False, tracking=True,
        domain="[('partner_id.commercial_partner_id', '=', partner_id)]",
        help="The customer's account a refund is paid to; its payment order pays this "
        "account and no other.",
    )

    @api.depends("partner_id", "kind")
    def _compute_payee_bank_id(self):
        for margin in self:
            margin.payee_bank_id = margin.kind == "refund" and (
                margin.partner_id.commercial_partner_id.bank_ids[:1])

    @api.constrains("payee_bank_id", "project_id")
    def _check_payee_bank(self):
        for margin in self.filtered("payee_bank_id"):
            if margin.payee_bank_id.partner_id.commercial_partner_id \
                    != margin.partner_id.commercial_partner_id:
                raise ValidationError(_("The account of %(name)s must belong to its customer "
                                        "%(customer)s.", name=margin.display_name,
                                        customer=margin.partner_id.display_name))

    def _on_done(self):
        """Receipt: Dr bank, Cr margin payable; refund: the reverse; offset: a margin-offset
        recovery (Dr margin payable, Cr compensation receivable)."""
        result = super()._on_done()
        for margin in self.filtered(lambda m: not m.move_id):
            if margin.kind == "offset":
                recovery = margin.recovery_id or self.env["guarantee.recovery"]._unlocked().create({
                    "project_id": margin.project_id.id,
                    "kind": "margin_offset",
                    "amount": margin.amount,
                    "date": margin.date,
                    "margin_id": margin.id,
                })
                margin._unlocked().recovery_id = recovery
                if recovery.state == "draft":
                    recovery.action_post()
            else:
                margin._guarantee_post_margin()
        return result

    def _lock_action_field_names(self):
        return super()._lock_action_field_names() | {"move_id", "recovery_id"}

    def action_cancel(self, reason=None):
        """A confirmed movement is cancelled by reversing its entry, with the reason; a
        refund whose transfer went to the bank (or was paid) is not: cancelling it would
        give the balance back, and a new refund would pay it twice."""
        sent = self.filtered(lambda m: m.sudo().payment_order_ids.filtered(
            lambda o: o.state in LIVE_STATES and o.state != "draft"))
        if sent:
            raise UserError(_("%(names)s went to the bank with a payment order: the refund "
                              "cannot be cancelled.", names=", ".join(sent.mapped("name"))))
        offsets = self.filtered(lambda m: m.state == "done" and m.recovery_id)
        if offsets:
            raise UserError(
                _("%(names)s offsets a compensation: cancel its recovery %(recovery)s instead.",
                  names=", ".join(offsets.mapped("name")),
                  recovery=", ".join(offsets.recovery_id.mapped("name")))
            )
        action = self.filtered(lambda m: m.state == "done" and m.move_id)._guarantee_cancel_action(
            reason
        )
        return action or super().action_cancel(reason)

    def action_draft(self):
        if self.filtered("move_id"):
            raise UserError(_("A margin movement whose entry was reversed stays cancelled; "
                              "record a new movement."))
        return super().action_draft()

    def _on_cancel(self, reason=None):
        self.payment_order_ids.filtered(lambda o: o.state == "draft").sudo().unlink()
        result = super()._on_cancel(reason)
        for margin in self.filtered("move_id"):
            margin._guarantee_reverse_move(reason)
        return result

    def _guarantee_post_margin(self):
        company = self.company_id
        bank = company.guarantee_bank_clearing_account_id
        payable = company.guarantee_margin_account_id
        partner = self.partner_id
        amount = self.amount
        lines = (
            [(bank, amount, 0.0, partner), (payable, 0.0, amount, partner)]
            if self.kind == "receipt"
            else [(payable, amount, 0.0, partner), (bank, 0.0, amount, partner)]
        )
        ref = _("Margin %(kind)s %(name)s %(reference)s", kind=dict(
            self._fields["kind"]._description_selection(self.env))[self.kind],
            name=self.name, reference=self.reference or "").strip()
        return self._guarantee_post_move(
            company.guarantee_misc_journal_id, self.date, ref, lines, project=self.project_id
        )
