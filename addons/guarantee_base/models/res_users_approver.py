from odoo import models

EXECUTIVE_GROUP = "guarantee_base.group_guarantee_executive"
ADMIN_GROUP = "guarantee_base.group_guarantee_admin"


class ResUsers(models.Model):
    """Separation of duties: who may approve.

    The guarantee administrator reads what an executive reads (configuring products, tiers
    and checklists needs the data) but approves nothing: final approvals, tier reviews,
    closing a committee vote and overriding a regulatory limit need an executive who is not
    a guarantee administrator. Neither group can be given by the administrator, who has no
    right on users and groups (Odoo's Access Rights group).
    """

    _inherit = "res.users"

    def _guarantee_is_approver(self):
        self.ensure_one()
        return self.has_group(EXECUTIVE_GROUP) and not self.has_group(ADMIN_GROUP)
