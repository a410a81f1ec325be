import base64

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

# Written by the manual confirmation only (see _mark_done_by_hand).
_MANUAL_FIELDS = (
    "manual_voucher_ref", "manual_document_id", "manual_confirmed_by_id",
    "manual_second_by_id",
)


class GuaranteePaymentOrder(models.Model):
    """A transfer made outside the bank connectors and marked done by hand (标记完成): the
    bank's voucher number and document are required, the user confirms in a wizard, and
    above the company's configured amount a second finance user confirms too (four eyes)."""

    _inherit = "guarantee.payment.order"

    manual_voucher_ref = fields.Char(
        string="Voucher Number", readonly=True, copy=False, tracking=True,
        help="Number of the bank's payment voucher of a transfer made outside Odoo.",
    )
    manual_document_id = fields.Many2one(
        "ir.attachment", string="Voucher Document", readonly=True, copy=False,
    )
    manual_confirmed_by_id = fields.Many2one(
        "res.users", string="Confirmed By", readonly=True, copy=False, tracking=True,
    )
    manual_second_by_id = fields.Many2one(
        "res.users", string="Second Confirmation By", readonly=True, copy=False, tracking=True,
    )

    def _lock_action_field_names(self):
        return super()._lock_action_field_names() | set(_MANUAL_FIELDS)

    def action_mark_done(self):
        """Open the confirmation of a transfer made by hand (voucher number and document)."""
        self.ensure_one()
        self._check_can_mark_done_by_hand()
        return {
            "type": "ir.actions.act_window",
            "name": _("Confirm the Transfer Made by Hand"),
            "res_model": "guarantee.payment.order.done.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _check_can_mark_done_by_hand(self):
        """The order's own gates and the caller's group, before any wizard opens."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(
            "guarantee_base.group_guarantee_finance"
        ):
            raise AccessError(_("Only finance marks a payment order done."))
        if self.connector_id:
            raise UserError(_("%(name)s goes through a bank connector: only the bank's "
                              "answer marks it done.", name=self.name))
        if self.state != "draft":
            raise UserError(_("Only a draft payment order can be marked done."))
        self._check_payable()

    def _manual_limit_exceeded(self):
        """Above the company's amount, a transfer made by hand needs two finance users."""
        limit = self.company_id.guarantee_manual_payment_limit
        return limit > 0 and self.currency_id.compare_amounts(self.amount, limit) > 0

    def _mark_done_by_hand(self, voucher_ref, document, filename=None):
        """Record a confirmation of a transfer made outside Odoo: the order is done at once,
        or, above the configured amount, once a second finance user confirmed the same
        voucher. ``document`` is the voucher's file, base64-encoded. Returns True when done.

        The superuser (data loading) confirms alone.
        """
        self.ensure_one()
        self._check_can_mark_done_by_hand()
        voucher_ref = (voucher_ref or "").strip()
        first = self.manual_confirmed_by_id
        missing = []
        if not voucher_ref:
            missing.append(_("the voucher number"))
        if not document and not self.manual_document_id:
            missing.append(_("the voucher document"))
        if missing:
            raise UserError(_("%(name)s is marked done only with %(missing)s of the transfer.",
                              name=self.name, missing=_(" and ").join(missing)))
        if first and first == self.env.user:
            raise AccessError(
                _("You confirmed %(name)s already: above %(limit)s a second finance user "
                  "confirms the transfer (four eyes).", name=self.name,
                  limit=format_amount(self.env, self.company_id.guarantee_manual_payment_limit,
                                      self.currency_id))
            )
        if first and voucher_ref != self.manual_voucher_ref:
            raise UserError(
                _("The voucher number %(given)s differs from %(first)s, confirmed by "
                  "%(user)s.", given=voucher_ref, first=self.manual_voucher_ref,
                  user=first.name)
            )
        if first:
            self._unlocked().manual_second_by_id = self.env.user
        else:
            self._record_voucher(voucher_ref, document, filename)
            if self._manual_limit_exceeded() and not self.env.su:
                self.message_post(body=_(
                    "Transfer confirmed by %(user)s with voucher %(voucher)s; above %(limit)s "
                    "it waits for a second finance user.", user=self.env.user.name,
                    voucher=voucher_ref, limit=format_amount(
                        self.env, self.company_id.guarantee_manual_payment_limit,
                        self.currency_id)))
                return False
        super().action_mark_done()
        return True

    def _record_voucher(self, voucher_ref, document, filename):
        attachment = self.env["ir.attachment"].sudo().create({
            "name": filename or "%s.pdf" % voucher_ref,
            "datas": document if isinstance(document, (str, bytes)) else base64.b64encode(
                document),
            "res_model": self._name,
            "res_id": self.id,
        })
        self._unlocked().write({
            "manual_voucher_ref": voucher_ref,
            "manual_document_id": attachment.id,
            "manual_confirmed_by_id": self.env.user.id,
        })
