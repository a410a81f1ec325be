from odoo import models

from .res_users_approver import ADMIN_GROUP

DECISIONS = ("approved", "rejected")


class TierReview(models.Model):
    """Approval decisions are sealed in the integrity chain."""

    _inherit = "tier.review"
    _guarantee_chain_deletable = True  # a restarted validation deletes its reviews

    def write(self, vals):
        result = super().write(vals)
        if vals.get("status") in DECISIONS:
            self.env["guarantee.hash.chain"]._seal(self, "review_%s" % vals["status"])
        return result

    def _get_reviewers(self):
        """Never the guarantee administrator, whatever group or field names the reviewers
        (separation of duties, see res_users_approver)."""
        return super()._get_reviewers() - self.env.ref(ADMIN_GROUP).sudo().users

    def _guarantee_chain_payload(self):
        self.ensure_one()
        return {
            "model": self.model,
            "res_id": self.res_id,
            "definition": self.definition_id.id,
            "status": self.status,
            "done_by": self.done_by.id,
            "reviewed_date": self.reviewed_date,
            "comment": self.comment,
        }
