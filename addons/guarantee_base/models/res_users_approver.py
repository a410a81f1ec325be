from odoo import api, models

EXECUTIVE_GROUP = "guarantee_base.group_guarantee_executive"
ADMIN_GROUP = "guarantee_base.group_guarantee_admin"


class ResUsers(models.Model):
    """Separation of duties: who may approve.

    The guarantee administrator configures products, tiers and checklists and reads what an
    executive reads (its own access lines and record rules), but is not an executive: final
    approvals, tier reviews, closing a committee vote and overriding a regulatory limit need
    the executive group, which the administrator cannot give themselves (no right on users
    and groups: Odoo's Access Rights group). A user holding both groups is still refused.
    """

    _inherit = "res.users"

    def _guarantee_is_approver(self):
        self.ensure_one()
        return self.has_group(EXECUTIVE_GROUP) and not self.has_group(ADMIN_GROUP)

    @api.model
    def _guarantee_drop_executive_of_administrators(self):
        """Remove the executive group from guarantee administrators.

        Until issue 23 the administrator group implied the executive group, so Odoo added
        every administrator to it; removing the implication leaves them there.
        """
        executive = self.env.ref(EXECUTIVE_GROUP)
        administrators = self.env.ref(ADMIN_GROUP).sudo().users
        both = administrators & executive.users
        executive.sudo().write({"users": [(3, user.id) for user in both]})
