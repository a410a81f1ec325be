from odoo import api, fields, models


class GuaranteeShareClaimDocument(models.Model):
    """One document a claim's agreement requires, with its files: taken from the project's
    checklist when the project has it, otherwise attached here before the claim is sent."""

    _name = "guarantee.share.claim.document"
    _description = "Risk-Sharing Claim Document"
    _inherit = ["guarantee.lock.mixin"]
    _order = "claim_id, id"

    _lock_state_field = "claim_state"
    _lock_action_fields = ("claim_id", "document_type_id")
    _lock_readonly_states = ("sent", "accepted", "paid", "refused")
    _lock_unlink_states = ("draft",)

    claim_id = fields.Many2one(
        "guarantee.share.claim", required=True, ondelete="cascade", index=True
    )
    claim_state = fields.Selection(related="claim_id.state", string="Claim Status")
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    document_type_id = fields.Many2one(
        "guarantee.document.type", string="Document", required=True, ondelete="restrict"
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", "guarantee_share_claim_document_attachment_rel", "document_id",
        "attachment_id", string="Files",
    )
    provided = fields.Boolean(compute="_compute_provided")

    @api.depends("attachment_ids")
    def _compute_provided(self):
        for document in self:
            document.provided = bool(document.attachment_ids)
