from collections import defaultdict

from odoo import fields, models

from odoo.addons.guarantee_risk.tools import risk_sharing


class GuaranteeRecovery(models.Model):
    """A recovery after a shared compensation is shared back: each party whose agreement
    says so gets its share of it (never more than it paid on its claims), booked as payable
    to it in the recovery's own entry."""

    _inherit = "guarantee.recovery"

    share_return_ids = fields.One2many(
        "guarantee.share.return", "recovery_id", string="Shared Back"
    )

    def _guarantee_share_parts(self):
        """({agreement: part}, own part) of this recovery."""
        self.ensure_one()
        claims = self.env["guarantee.share.claim"].sudo().search([
            ("project_id", "=", self.project_id.id), ("state", "in", ("accepted", "paid")),
            ("agreement_id.share_recoveries", "=", True),
        ])
        paid = defaultdict(float)
        share = {}
        for claim in claims:
            paid[claim.agreement_id] += claim.amount_paid
            share[claim.agreement_id] = claim.share
        returned = defaultdict(float)
        for earlier in self.env["guarantee.share.return"].sudo().search([
            ("project_id", "=", self.project_id.id), ("state", "!=", "cancelled"),
            ("recovery_id", "!=", self.id),
        ]):
            returned[earlier.agreement_id] += earlier.amount
        return risk_sharing.shared_back(self.amount, [
            (agreement, share[agreement], paid[agreement] - returned[agreement])
            for agreement in paid
        ])

    def _guarantee_credit_lines(self):
        parts, own = self._guarantee_share_parts()
        if not parts:
            return super()._guarantee_credit_lines()
        company = self.company_id
        company._guarantee_share_check_setup()
        lines = [(company.guarantee_share_payable_account_id, 0.0, amount, agreement.partner_id)
                 for agreement, amount in parts.items()]
        if own:
            lines.insert(0, (company.guarantee_compensation_account_id, 0.0, own,
                             self.project_id.partner_id))
        return lines

    def _guarantee_recoverable_amount(self):
        """The company's own part must fit in its own compensation receivable; the parties'
        parts come on top."""
        parts, _own = self._guarantee_share_parts()
        return super()._guarantee_recoverable_amount() + sum(parts.values())

    def action_post(self):
        parts = {recovery: recovery._guarantee_share_parts()[0]
                 for recovery in self.filtered(lambda r: r.state == "draft")}
        result = super().action_post()
        self.env["guarantee.share.return"]._unlocked().create([
            {"recovery_id": recovery.id, "agreement_id": agreement.id, "amount": amount}
            for recovery, recovery_parts in parts.items()
            for agreement, amount in recovery_parts.items()
        ])
        return result

    def action_cancel(self, reason=None):
        returns = self.share_return_ids.filtered(lambda r: r.state != "cancelled")
        if (reason or "").strip():
            returns._check_can_cancel()
        result = super().action_cancel(reason)
        if (reason or "").strip():
            returns._cancel()
        return result
