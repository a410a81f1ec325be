from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate Overdue Tasks To",
        domain="[('share', '=', False)]",
        help="Who receives the guarantee tasks overdue beyond the escalation days. When "
        "empty, every guarantee executive of the company does.",
    )

    def _guarantee_escalation_users(self):
        self.ensure_one()
        if self.guarantee_escalation_user_id:
            return self.guarantee_escalation_user_id
        executives = self.env.ref("guarantee_base.group_guarantee_executive").users
        return executives.filtered(lambda u: self in u.company_ids and not u.share)
