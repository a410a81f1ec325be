from odoo import api, fields, models

RULE_KINDS = [
    ("controller", "Controlling shareholder or actual controller"),
    ("industry", "Blacklisted industry"),
    ("licence", "Business licence expired"),
    ("documents", "Required documents missing"),
    ("no_score", "No score"),
    ("score", "Score below threshold"),
    ("coverage", "Coverage below threshold"),
    ("limits", "Regulatory limits exceeded"),
]
OUTCOMES = [("review", "Manual Review"), ("decline", "Decline")]


class GuaranteePrescreenRule(models.Model):
    """A rule of the automatic first review (自动初审): when it hits, the recommendation is at
    least its outcome, with its reason. Hard stops decline; thresholds send to review or
    decline as configured."""

    _name = "guarantee.prescreen.rule"
    _description = "First-Review Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the rule applies to every company."
    )
    kind = fields.Selection(RULE_KINDS, required=True)
    outcome = fields.Selection(OUTCOMES, required=True, default="review")
    threshold = fields.Float(
        digits=(16, 2), help="Score, or coverage in %, below which the rule hits."
    )
    industry_ids = fields.Many2many(
        "res.partner.industry",
        string="Industries",
        help="Blacklisted industries (a section includes its divisions).",
    )

    @api.model
    def _rules_for(self, company):
        return self.sudo().search(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        )
