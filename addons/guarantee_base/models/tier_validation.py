from odoo import _, models


class TierValidation(models.AbstractModel):
    """The approval bar and its notifications in the user's language.

    base_tier_validation ships no Chinese for them, and a Python term is translated only from
    the files of the addon whose code calls ``_``: these texts are therefore produced here,
    where guarantee_base's translations apply.
    """

    _inherit = "tier.validation"

    def _compute_next_review(self):
        for record in self:
            review = record.review_ids.sorted("sequence").filtered(
                lambda r: r.status == "pending"
            )[:1]
            record.next_review = (
                _("Next: %(review)s", review=review.name or "") if review else False
            )

    def _notify_created_review_body(self):
        return _("A record to be reviewed has been created by %(user)s.",
                 user=self.env.user.name)

    def _notify_requested_review_body(self):
        return _("A review has been requested by %(user)s.", user=self.env.user.name)
