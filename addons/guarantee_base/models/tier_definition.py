from odoo import _, api, models
from odoo.exceptions import ValidationError

from .res_users_approver import ADMIN_GROUP


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        res = super()._get_tier_validation_model_names()
        res += ["guarantee.project", "guarantee.project.extension"]
        return res

    @api.constrains("reviewer_id", "reviewer_group_id")
    def _check_reviewer_is_not_the_administrator(self):
        """The guarantee administrator defines the tiers, so may not be their reviewer."""
        admin_group = self.env.ref(ADMIN_GROUP)
        for definition in self:
            if definition.reviewer_group_id == admin_group or (
                definition.reviewer_id in admin_group.sudo().users
            ):
                raise ValidationError(
                    _("The guarantee administrator configures the approval tiers and cannot "
                      "review them: choose another reviewer for %(tier)s.",
                      tier=definition.name)
                )
