from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .guarantee_payment_order import LIVE_STATES


class GuaranteePaymentOrder(models.Model):
    """A third source an order may pay: a sharing party's part of a recovery, under the
    same rules as a compensation or a margin refund (one live order, checked at every send,
    booked when the bank says done)."""

    _inherit = "guarantee.payment.order"

    _source_fields = ("compensation_id", "margin_id", "share_return_id")

    share_return_id = fields.Many2one(
        "guarantee.share.return", string="Recovery Shared Back", index="btree_not_null",
        ondelete="restrict", check_company=True,
    )

    def init(self):
        super().init()
        self.env.cr.execute(SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS guarantee_payment_order_live_share_return_uniq "
            "ON guarantee_payment_order (share_return_id) "
            "WHERE share_return_id IS NOT NULL AND state IN %s",
            LIVE_STATES,
        ))

    def _lock_fields_for(self, state):
        fields_locked = super()._lock_fields_for(state)
        if state != "draft":
            fields_locked |= {"share_return_id"}
        return fields_locked

    @api.model
    def _check_source_vals(self, vals):
        share_return = self.env["guarantee.share.return"].browse(vals.get("share_return_id"))
        if not share_return:
            return super()._check_source_vals(vals)
        if vals.get("state", "draft") != "draft":
            raise UserError(_("A payment order is created as a draft and then sent."))
        if vals.get("compensation_id") or vals.get("margin_id"):
            raise UserError(_("A payment order pays one approved compensation, one confirmed "
                              "margin refund or one recovery shared back."))
        if share_return.state != "to_pay":
            raise UserError(_("%(name)s is not waiting to be paid.",
                              name=share_return.display_name))
        live = share_return.sudo().payment_order_ids.filtered(lambda o: o.state in LIVE_STATES)
        if live:
            raise UserError(_("%(business)s already has the payment order %(order)s; it is "
                              "resolved with the bank, never replaced.",
                              business=share_return.display_name, order=live[0].name))

    def _source(self):
        self.ensure_one()
        return self.share_return_id or super()._source()

    def _source_payee(self):
        self.ensure_one()
        return self.share_return_id.partner_id if self.share_return_id else super()._source_payee()

    def _source_amount(self):
        self.ensure_one()
        return self.share_return_id.amount if self.share_return_id else super()._source_amount()

    def _source_blockers(self):
        self.ensure_one()
        if not self.share_return_id:
            return super()._source_blockers()
        share_return = self.share_return_id.sudo()
        reasons = []
        if self.compensation_id or self.margin_id:
            reasons.append(_("it pays more than one business"))
        if share_return.state != "to_pay":
            reasons.append(_("the part is not waiting to be paid"))
        company = share_return.company_id
        missing = company._guarantee_accounting_missing()
        if not company.guarantee_share_payable_account_id:
            missing.append(company._fields["guarantee_share_payable_account_id"].get_description(
                self.env)["string"])
        if missing:
            reasons.append(_("the guarantee accounting settings are incomplete: %(missing)s",
                             missing=", ".join(missing)))
        return reasons

    def _book_source(self, date):
        if self.share_return_id:
            self.share_return_id._guarantee_on_paid(date)
        return super()._book_source(date)
