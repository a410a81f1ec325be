import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..connectors import BankError, TransferRequest

ORDER_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("done", "Done"),
    ("failed", "Failed"),
]


class GuaranteePaymentOrder(models.Model):
    """A transfer to a bank, identified by a request id the bank uses to pay at most once."""

    _name = "guarantee.payment.order"
    _description = "Payment Order"
    _inherit = ["mail.thread", "guarantee.lock.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # What the bank is asked to pay is fixed once the order leaves draft.
    _lock_action_fields = ("request_id",)
    _lock_fields_by_state = dict.fromkeys(
        ("sent", "unknown", "accepted", "done", "failed"),
        ("amount", "partner_id", "partner_bank_id", "project_id", "compensation_id",
         "connector_id", "reference"),
    )

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="restrict", check_company=True
    )
    compensation_id = fields.Many2one(
        "guarantee.compensation", index=True, ondelete="restrict", check_company=True
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                sequence = self.env["ir.sequence"]
                vals["name"] = sequence.next_by_code("guarantee.payment.order") or "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(order.state != "draft" for order in self):
            raise UserError(_("Only a draft payment order can be deleted."))

    def action_send(self):
        """Send (or send again, with the same request id) the transfer to the bank."""
        for order in self:
            if order.state not in ("draft", "sent", "failed"):
                raise UserError(_("%(name)s is already with the bank.", name=order.name))
            if not order.connector_id:
                raise UserError(_("%(name)s has no bank connector: make the transfer and mark "
                                  "it done.", name=order.name))
            if not order.partner_bank_id:
                raise UserError(_("The payee account of %(name)s is missing.", name=order.name))
            order.write({"state": "sent", "date_sent": fields.Datetime.now(),
                         "attempt_count": order.attempt_count + 1})
            order._ask_bank("transfer")
        return True

    def action_poll_status(self):
        for order in self.filtered(lambda o: o.connector_id):
            if order.state not in ("sent", "accepted"):
                raise UserError(_("%(name)s is not waiting for the bank.", name=order.name))
            order._ask_bank("transfer_status")
        return True

    def action_mark_done(self):
        """A transfer made outside the connectors, confirmed by finance."""
        for order in self:
            if order.state not in ("draft", "sent", "accepted"):
                raise UserError(_("Only an open payment order can be marked done."))
        self._on_done()
        return True

    def _ask_bank(self, operation):
        """One transfer or status call. An unknown outcome (time-out after all retries) keeps
        the order sent, to be retried with the same request id; a malformed or refused answer
        fails it with the error."""
        self.ensure_one()
        try:
            answer = getattr(self.connector_id._adapter(), operation)(self._transfer_request())
        except BankError as error:
            self.error_message = str(error)
            if not error.retryable:
                self.state = "failed"
            return
        self.write({"bank_reference": answer["bank_reference"] or self.bank_reference,
                    "error_message": False})
        if answer["status"] == "done":
            self._on_done()
        elif answer["status"] == "accepted":
            self.state = "accepted"
        elif answer["status"] == "failed":
            self.state = "failed"

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
        date = date or fields.Date.context_today(self)
        for order in self:
            order.write({"state": "done", "date_done": date})
            if order.compensation_id:
                order.compensation_id._guarantee_on_paid(date)

    @api.model
    def _cron_poll_status(self):
        orders = self.search([("state", "in", ("sent", "accepted")), ("connector_id", "!=", False)])
        for order in orders:
            order._ask_bank("transfer" if order.state == "sent" else "transfer_status")
