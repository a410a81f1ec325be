from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_committee_quorum = fields.Integer(
        string="Committee Quorum",
        default=5,
        help="Minimum number of committee members who must vote for a review meeting "
        "to reach a decision.",
    )
    guarantee_committee_majority = fields.Float(
        string="Committee Majority (%)",
        default=66.67,
        help="Share of the votes cast that must approve for the committee to approve.",
    )
    guarantee_escalation_days = fields.Integer(
        string="Escalate Overdue Tasks After (days)",
        default=3,
        help="An activity overdue by more than this many days is escalated to the "
        "owner's manager by the daily reminder job.",
    )

    def _notify_guarantee_admins(self, summary, note):
        """A to-do on each of these companies for each of its guarantee administrators: how
        the nightly checks report what they found and repaired."""
        admins = self.env.ref("guarantee_base.group_guarantee_admin").sudo().users
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        self.env["mail.activity"].sudo().create([
            {
                "res_model_id": partner_model,
                "res_id": company.partner_id.id,
                "activity_type_id": activity_type.id,
                "summary": summary,
                "note": note,
                "user_id": admin.id,
            }
            for company in self
            for admin in admins
            if company in admin.company_ids
        ])
