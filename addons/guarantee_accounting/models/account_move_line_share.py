from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        """A claim whose receivable is now settled (bank statement line, shortfall) is paid."""
        result = super().reconcile()
        claims = self.env["guarantee.share.claim"].sudo().search(
            [("move_id", "in", self.move_id.ids), ("state", "=", "accepted")])
        claims._sync_payment()
        return result
