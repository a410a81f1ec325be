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
