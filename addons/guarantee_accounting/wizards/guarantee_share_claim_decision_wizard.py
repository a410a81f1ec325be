from odoo import api, fields, models


class GuaranteeShareClaimDecisionWizard(models.TransientModel):
    """The sharing party's answer to a claim: accepted (in full or in part, with its reason),
    refused with its reason, or — once it paid part of it — closed short."""

    _name = "guarantee.share.claim.decision.wizard"
    _description = "Answer to a Risk-Sharing Claim"

    claim_id = fields.Many2one("guarantee.share.claim", required=True)
    claim_state = fields.Selection(related="claim_id.state")
    currency_id = fields.Many2one(related="claim_id.currency_id")
    decision = fields.Selection(
        [("accept", "Accepted"), ("refuse", "Refused"), ("close_short", "Paid in Part Only")],
        required=True, default="accept",
    )
    amount = fields.Monetary(string="Amount Accepted", currency_field="currency_id")
    reason = fields.Text(help="Needed for a refusal, a reduced acceptance or a shortfall.")

    @api.onchange("claim_id")
    def _onchange_claim_id(self):
        self.amount = self.claim_id.amount
        if self.claim_id.state == "accepted":
            self.decision = "close_short"

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "accept":
            self.claim_id.action_accept(self.amount, self.reason)
        elif self.decision == "refuse":
            self.claim_id.action_refuse(self.reason)
        else:
            self.claim_id.action_close_short(self.reason)
        return {"type": "ir.actions.act_window_close"}
