from odoo import _, api, fields, models


class GuaranteePaymentOrderDoneWizard(models.TransientModel):
    """The confirmation of a transfer made by hand: the bank's voucher number and document,
    and whether a second finance user still has to confirm."""

    _name = "guarantee.payment.order.done.wizard"
    _description = "Confirm a Payment Order Marked Done by Hand"

    order_id = fields.Many2one("guarantee.payment.order", required=True, ondelete="cascade")
    amount = fields.Monetary(related="order_id.amount", currency_field="currency_id")
    currency_id = fields.Many2one(related="order_id.currency_id")
    partner_id = fields.Many2one(related="order_id.partner_id", string="Payee")
    voucher_ref = fields.Char(string="Voucher Number", required=True)
    document = fields.Binary(string="Voucher Document", attachment=False)
    document_name = fields.Char()
    first_confirmed_by_id = fields.Many2one(related="order_id.manual_confirmed_by_id")
    needs_second = fields.Boolean(compute="_compute_needs_second")

    @api.depends("order_id")
    def _compute_needs_second(self):
        for wizard in self:
            wizard.needs_second = (
                wizard.order_id._manual_limit_exceeded() and not wizard.first_confirmed_by_id
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["guarantee.payment.order"].browse(values.get("order_id"))
        if order.manual_voucher_ref and "voucher_ref" in fields_list:
            values["voucher_ref"] = order.manual_voucher_ref
        return values

    def action_confirm(self):
        self.ensure_one()
        done = self.order_id._mark_done_by_hand(
            self.voucher_ref, self.document, self.document_name
        )
        if done:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": _("%(name)s waits for a second finance user's confirmation.",
                             name=self.order_id.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
