import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class GuaranteeCollection(models.Model):
    """Fees past their due date are collected through the ladder until they are paid."""

    _inherit = "guarantee.collection"

    origin = fields.Selection(selection_add=[("fee", "Guarantee Fee")],
                              ondelete={"fee": "cascade"})
    fee_id = fields.Many2one("guarantee.fee", string="Fee", index=True, readonly=True,
                             ondelete="set null")

    @api.model
    def _cron_run_ladder(self):
        self._detect_overdue_fees()
        return super()._cron_run_ladder()

    @api.model
    def _detect_overdue_fees(self, today=None):
        """One collection case per fee that is due and unpaid after its due date.

        A fee whose case cannot be opened is rolled back alone and logged; the next run
        tries it again, and the other fees become cases meanwhile.
        """
        today = today or fields.Date.context_today(self)
        fees = self.env["guarantee.fee"].sudo().search(
            [("state", "=", "due"), ("date_due", "<", today)])
        if not fees:
            return self.browse()
        known = set(self.sudo().search([("fee_id", "in", fees.ids)]).mapped("fee_id").ids)
        cases = self.browse()
        for fee in fees.filtered(lambda f: f.id not in known):
            try:
                with self.env.cr.savepoint():
                    case = self._open_for(fee.project_id, "fee", "fee:%d" % fee.id,
                                          fee.amount, fee.date_due)
                    case.fee_id = fee
            except Exception:  # pylint: disable=broad-exception-caught  # logged, run goes on
                _logger.exception("No collection case could be opened for fee %s of %s; "
                                  "skipped until the next run.", fee.id, fee.project_id.name)
                continue
            cases |= case
        return cases

    def _is_paid(self):
        if self.origin == "fee" and self.fee_id:
            return self.fee_id.state != "due"
        return super()._is_paid()
