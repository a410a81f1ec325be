import logging
import uuid

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount

from odoo.addons.guarantee_platform.tools.connectors import ConnectorError

from ..connectors import BankRefused, TransferRequest

_logger = logging.getLogger(__name__)

ORDER_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("unknown", "Outcome Unknown"),
    ("accepted", "Accepted"),
    ("done", "Done"),
    ("failed", "Failed"),
]
# An order in these states may still pay (or has paid): at most one per compensation or
# margin refund. Only the bank's definite "failed" frees the business for a new order.
LIVE_STATES = ("draft", "sent", "unknown", "accepted", "done")
# The transfer may be sent (again, with the same request id) from these states; the bank
# pays a request id at most once, so sending again is how an ambiguous outcome is resolved.
TRANSFER_STATES = ("draft", "sent", "unknown")
STATUS_STATES = ("sent", "unknown", "accepted")
# The bank's answers that settle an order; anything else leaves it where it is.
ANSWER_STATES = {"pending": "accepted", "accepted": "accepted", "done": "done", "failed": "failed"}


class GuaranteePaymentOrder(models.Model):
    """A transfer to a bank, identified by a request id the bank uses to pay at most once.

    Talking to the bank happens in two transactions of their own: the first commits "sent"
    and a call-log line before anything leaves (a worker killed during the call leaves that
    trace), the second holds the order's row (``FOR UPDATE NOWAIT``) while it calls the bank
    and records the answer. Only the bank's definite answer ends an order; an ambiguous one
    (time-out, dropped connection, 5xx, unreadable body, 409, 404 on the status) makes it
    ``unknown``, resolved by asking again with the same request id.
    """

    _name = "guarantee.payment.order"
    _description = "Payment Order"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.payment.order"
    _order = "id desc"
    _check_company_auto = True

    # What the bank is asked to pay is fixed once the order leaves draft; the rest is the
    # bank's answer, written by the actions only.
    _lock_action_fields = (
        "state", "request_id", "bank_reference", "error_message", "attempt_count",
        "date_sent", "date_done",
    )
    _lock_fields_by_state = dict.fromkeys(
        ("sent", "unknown", "accepted", "done", "failed"),
        (
            "amount", "partner_id", "partner_bank_id", "project_id", "compensation_id",
            "margin_id", "connector_id", "reference", "currency_id",
        ),
    )
    _lock_unlink_states = ("draft",)
    # Born draft; sending leaves draft once, the bank's answers (or finance's confirmation of
    # a transfer made by hand) settle it; "done" and "failed" are final.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_send": (("draft",), "sent"),
        "_on_bank_error": (("sent",), "unknown"),
        "_on_bank_refused": (("sent", "unknown"), "failed"),
        "_on_bank_answer": (("sent", "unknown"), "accepted"),
        "_on_bank_failed": (("accepted",), "failed"),
        "_on_done": (("draft", "sent", "unknown", "accepted"), "done"),
    }
    # The business an order pays is chosen when it is created, never repointed.
    _source_fields = ("compensation_id", "margin_id")

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="restrict", check_company=True
    )
    compensation_id = fields.Many2one(
        "guarantee.compensation", index=True, ondelete="restrict", check_company=True
    )
    margin_id = fields.Many2one(
        "guarantee.margin", string="Margin Refund", index="btree_not_null", ondelete="restrict",
        check_company=True, domain="[('kind', '=', 'refund'), ('state', '=', 'done')]",
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="project_id.currency_id", store=True, precompute=True)
    partner_id = fields.Many2one("res.partner", string="Payee", required=True)
    partner_bank_id = fields.Many2one(
        "res.partner.bank", string="Payee Account", domain="[('partner_id', '=', partner_id)]"
    )
    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    reference = fields.Char(help="Communication sent to the bank with the transfer.")
    connector_id = fields.Many2one(
        "guarantee.bank.connector", string="Bank Connector", check_company=True,
        help="Empty: the transfer is made outside Odoo and marked done by hand.",
    )
    request_id = fields.Char(
        string="Request ID", required=True, readonly=True, copy=False, index=True,
        default=lambda self: uuid.uuid4().hex,
        help="Sent with every attempt; the bank pays a request id once.",
    )
    state = fields.Selection(
        ORDER_STATES, default="draft", required=True, readonly=True, copy=False, tracking=True,
        index=True,
    )
    bank_reference = fields.Char(readonly=True, copy=False, tracking=True)
    error_message = fields.Text(readonly=True, copy=False)
    attempt_count = fields.Integer(readonly=True, copy=False)
    date_sent = fields.Datetime(readonly=True, copy=False)
    date_done = fields.Date(readonly=True, copy=False)

    _sql_constraints = [
        ("request_id_unique", "unique(request_id)", "The request id of a payment order is unique."),
        ("amount_positive", "CHECK(amount > 0)", "A payment order must have a positive amount."),
    ]

    def init(self):
        """At most one live order per compensation and per margin refund (partial unique
        indexes: the database refuses a second one whatever the code path)."""
        for column in ("compensation_id", "margin_id"):
            self.env.cr.execute(SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON guarantee_payment_order (%s) "
                "WHERE %s IS NOT NULL AND state IN %s",
                SQL.identifier(f"guarantee_payment_order_live_{column}_uniq"),
                SQL.identifier(column),
                SQL.identifier(column),
                LIVE_STATES,
            ))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_source_vals(vals)
        with self.env.cr.savepoint():  # a refused order leaves nothing behind
            orders = super().create(vals_list)
            for order in orders:
                if not order.partner_bank_id and order._source_payee_account():
                    order.sudo()._unlocked().partner_bank_id = order._source_payee_account()
            orders._check_matches_source()
        return orders

    def write(self, vals):
        self._check_amount_vals(vals)
        repointed = set(vals) & set(self._source_fields)
        if repointed and not self._lock_is_unlocked():
            raise UserError(_("The business a payment order pays is chosen when the order is "
                              "created: create a new order for another one."))
        if not set(vals) & {"amount", "partner_id", "partner_bank_id", "project_id"}:
            return super().write(vals)
        with self.env.cr.savepoint():  # a refused change leaves the order as it was
            result = super().write(vals)
            self.filtered(lambda o: o.state == "draft")._check_matches_source()
        return result

    @api.model
    def _check_amount_vals(self, vals):
        """Refuse what the database constraint would, with a clear message."""
        if "amount" in vals and (vals["amount"] or 0.0) <= 0:
            raise ValidationError(_("A payment order must have a positive amount."))

    @api.model
    def _check_source_vals(self, vals):
        """An order pays approved business only: an approved compensation or a confirmed
        margin refund, with no other live order."""
        self._check_amount_vals(dict({"amount": 0.0}, **vals))
        if vals.get("state", "draft") != "draft":
            raise UserError(_("A payment order is created as a draft and then sent."))
        compensation = self.env["guarantee.compensation"].browse(vals.get("compensation_id"))
        margin = self.env["guarantee.margin"].browse(vals.get("margin_id"))
        if bool(compensation) == bool(margin):
            raise UserError(_("A payment order pays one approved compensation or one confirmed "
                              "margin refund."))
        if compensation and compensation.state != "approved":
            raise UserError(_("%(name)s is not approved: no payment order can pay it.",
                              name=compensation.display_name))
        if margin and (margin.kind != "refund" or margin.state != "done"):
            raise UserError(_("%(name)s is not a confirmed margin refund.",
                              name=margin.display_name))
        business = compensation or margin
        live = business.sudo().payment_order_ids.filtered(lambda o: o.state in LIVE_STATES)
        if live:
            raise UserError(_("%(business)s already has the payment order %(order)s; it is "
                              "resolved with the bank, never replaced.",
                              business=business.display_name, order=live[0].name))

    # ------------------------------------------------------------------ the source

    def _source(self):
        """The business this order pays."""
        self.ensure_one()
        return self.compensation_id or self.margin_id

    def _source_payee(self):
        """Whom the source owes: the creditor bank of a compensation, the customer of a
        margin refund."""
        self.ensure_one()
        if self.compensation_id:
            return self.compensation_id.creditor_id
        return self.margin_id.partner_id

    def _source_amount(self):
        self.ensure_one()
        return self.compensation_id.total if self.compensation_id else self.margin_id.amount

    def _source_payee_account(self):
        """The payee's account recorded on the source (None: the source records none)."""
        self.ensure_one()
        return self._source().payee_bank_id

    def _source_mismatches(self):
        """What of this order differs from what its source owes, and to whom (reasons)."""
        self.ensure_one()
        sudo = self.sudo()
        source = sudo._source()
        payee = sudo._source_payee()
        amount = sudo._source_amount()
        reasons = []
        if sudo.project_id != source.project_id:
            reasons.append(_("the project is not %(project)s",
                             project=source.project_id.display_name))
        if sudo.partner_id != payee:
            reasons.append(_("the payee is not %(payee)s", payee=payee.display_name))
        if sudo.currency_id.compare_amounts(sudo.amount, amount):
            reasons.append(_("the amount is not the %(amount)s of %(business)s",
                             amount=format_amount(self.env, amount, sudo.currency_id),
                             business=source.display_name))
        account = sudo.partner_bank_id
        if account and account.partner_id.commercial_partner_id \
                != sudo.partner_id.commercial_partner_id:
            reasons.append(_("the payee account belongs to someone else"))
        recorded = sudo._source_payee_account()
        if account and recorded is not None and account != recorded:
            reasons.append(_("the payee account is not the one recorded on %(business)s",
                             business=source.display_name))
        return reasons

    def _source_blockers(self):
        """Why the source cannot be paid now, everything its booking needs included
        (reasons): a transfer never leaves for business that could not be booked."""
        self.ensure_one()
        if self.compensation_id:
            return self.compensation_id.sudo()._guarantee_payment_blockers()
        margin = self.margin_id.sudo()
        if margin.kind != "refund" or margin.state != "done":
            return [_("%(name)s is not a confirmed margin refund", name=margin.display_name)]
        return []

    def _check_matches_source(self):
        """A draft order keeps paying exactly what its source owes, to whom it owes it."""
        for order in self:
            reasons = order._source_mismatches()
            if reasons:
                raise UserError(_("%(name)s cannot be saved: %(reasons)s.",
                                  name=order.name, reasons="; ".join(reasons)))

    # ------------------------------------------------------------------ actions

    def action_send(self):
        """Send the transfer (again, with the same request id) to the bank."""
        for order in self:
            order._talk_to_bank("transfer")
        return True

    def action_poll_status(self):
        """Ask the bank where it is with the order's request id."""
        for order in self:
            order._talk_to_bank("transfer_status")
        return True

    def action_mark_done(self):
        """A transfer made outside the connectors, confirmed by finance."""
        for order in self:
            if order.connector_id:
                raise UserError(_("%(name)s goes through a bank connector: only the bank's "
                                  "answer marks it done.", name=order.name))
            if order.state != "draft":
                raise UserError(_("Only a draft payment order can be marked done."))
            order._check_payable()
        self._on_done()
        return True

    # ------------------------------------------------------------------ talking to the bank

    def _check_can_talk(self, operation):
        """Why ``operation`` cannot be run on this order now (one UserError), if so."""
        self.ensure_one()
        allowed = TRANSFER_STATES if operation == "transfer" else STATUS_STATES
        if self.state not in allowed:
            label = dict(self._fields["state"]._description_selection(self.env))[self.state]
            raise UserError(_("%(name)s is %(state)s: the bank is not asked again.",
                              name=self.name, state=label))
        if not self.connector_id:
            raise UserError(_("%(name)s has no bank connector: make the transfer and mark "
                              "it done.", name=self.name))
        if operation == "transfer":
            self._check_payable()

    def _check_payable(self):
        """The order pays exactly what its approved business owes, to whom it owes it, and
        everything that books it once done is in place (checked again at every send)."""
        self.ensure_one()
        reasons = self._source_mismatches() + self._source_blockers()
        if self.connector_id and not self.partner_bank_id:
            reasons.append(_("the payee account is missing"))
        if reasons:
            raise UserError(_("%(name)s cannot be paid: %(reasons)s.",
                              name=self.name, reasons="; ".join(reasons)))

    def _talk_to_bank(self, operation):
        """Run ``operation`` ("transfer" or "transfer_status") for this order.

        1. In a transaction of its own, under the row lock: check, mark "sent" (for a
           transfer), log the call as started, commit.
        2. In another one, under the row lock held during the call: call the bank and record
           its answer (and, once done, pay the compensation), commit.
        A crash in between leaves the order "sent" with its started call: it is resumed
        with the same request id, never recreated. Returns the state the bank left it in
        (read in the second transaction: this one may not see it yet).
        """
        self.ensure_one()
        self._check_can_talk(operation)
        self._with_locked_order(lambda order: order._mark_sending(operation))
        state = self._with_locked_order(lambda order: order._call_bank(operation))
        self.env.invalidate_all()
        return state

    def _with_locked_order(self, method):
        """``method(order)`` in a new transaction, the order's row locked without waiting."""
        self.env.flush_all()
        with self.env.registry.cursor() as cr:
            order = self.with_env(self.env(cr=cr))
            try:
                cr.execute(
                    "SELECT id FROM guarantee_payment_order WHERE id = %s FOR UPDATE NOWAIT",
                    (order.id,),
                    log_exceptions=False,
                )
            except psycopg2.errors.LockNotAvailable:
                cr.rollback()  # the refusal below is translated through this cursor
                raise UserError(_("%(name)s is being sent to or checked with the bank right "
                                  "now; try again in a moment.", name=self.name)) from None
            if not cr.fetchone():
                raise UserError(_("Save the payment order before sending it."))
            return method(order)

    def _mark_sending(self, operation):
        self._check_can_talk(operation)
        if operation == "transfer":
            self._unlocked().write({
                "state": "unknown" if self.state == "unknown" else "sent",
                "date_sent": fields.Datetime.now(),
                "attempt_count": self.attempt_count + 1,
            })
        self.connector_id._connector_log(
            operation=operation, request_id=self.request_id, outcome="started",
            record_model=self._name, record_id=self.id,
        )

    def _call_bank(self, operation):
        self._check_can_talk(operation)
        try:
            answer = getattr(self.connector_id._adapter(), operation)(self._transfer_request())
        except ConnectorError as error:
            self._on_bank_error(error, operation)
        else:
            self._on_bank_answer(answer)
        return self.state

    def _on_bank_error(self, error, operation):
        """A transfer refused in a way the bank's interface documents as final fails the
        order (unless the bank had accepted it before); any other error leaves the outcome
        unknown, and an accepted order stays accepted."""
        values = {"error_message": self.connector_id._redact(str(error))}
        if isinstance(error, BankRefused) and operation == "transfer" and self.state != "accepted":
            values["state"] = "failed"
        elif self.state != "accepted":
            values["state"] = "unknown"
        self._unlocked().write(values)

    def _on_bank_answer(self, answer):
        self._unlocked().write({
            "bank_reference": answer["bank_reference"] or self.bank_reference,
            "error_message": False,
        })
        new_state = ANSWER_STATES[answer["status"]]
        if new_state == "done":
            self._on_done()
        elif new_state != self.state:
            self._unlocked().state = new_state

    def _transfer_request(self):
        return TransferRequest(
            request_id=self.request_id,
            amount=self.amount,
            currency=self.currency_id.name,
            payee_name=self.partner_id.name,
            payee_account=self.partner_bank_id.acc_number or "",
            reference=self.reference or self.name,
        )

    def _on_done(self, date=None):
        """Record that the money left. The bank's (or finance's) "done" is a fact: a booking
        that fails afterwards is rolled back alone and left to finance as an activity."""
        date = date or fields.Date.context_today(self)
        for order in self.filtered(lambda o: o.state != "done"):
            order._unlocked().write({"state": "done", "date_done": date})
            try:
                with self.env.cr.savepoint():
                    order._book_source(date)
            except (UserError, psycopg2.Error) as error:
                _logger.warning("Payment order %s is done but not booked: %s", order.name, error)
                order._ask_finance_to_book(error)

    def _book_source(self, date):
        """Book the paid source (its entry, its state)."""
        self.ensure_one()
        if self.compensation_id:
            self.compensation_id._guarantee_on_paid(date)

    def _ask_finance_to_book(self, error):
        """An activity for finance on the order: the transfer is done, its booking is not."""
        self.ensure_one()
        finance = self.env.ref("guarantee_base.group_guarantee_finance").sudo().users.filtered(
            lambda user: self.company_id in user.company_ids
        )
        assignee = self.create_uid if self.create_uid in finance else finance[:1]
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Book the payment %(name)s", name=self.name),
            note=_("The bank paid %(name)s, but its booking failed: %(error)s",
                   name=self.name, error=str(error)),
            user_id=(assignee or self.env.ref("base.user_root")).id,
        )

    @api.model
    def _cron_poll_status(self):
        """Each order with the bank, in its own transactions: an accepted one is asked for
        its status; a sent or unknown one too, and sent again with the same request id
        while the bank gives no definite answer."""
        orders = self.search([("state", "in", STATUS_STATES), ("connector_id", "!=", False)])
        for order in orders:
            try:
                order._resolve()
            except UserError as error:
                _logger.info("Payment order %s not resolved this time: %s", order.name, error)

    def _resolve(self):
        """Status first; while the outcome stays unknown, the transfer again (same id)."""
        self.ensure_one()
        if self._talk_to_bank("transfer_status") in ("sent", "unknown"):
            self._talk_to_bank("transfer")
