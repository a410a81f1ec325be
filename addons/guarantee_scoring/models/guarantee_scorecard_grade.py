from odoo import fields, models

from odoo.addons.guarantee_base.models.guarantee_project import NON_PERFORMING_CLASSES

# Outcome known: the project is finished, or it is already classed substandard or worse.
FINISHED_STATES = ("released", "compensated", "closed")
BAD_STATES = ("compensated", "closed")


class GuaranteeScorecardGrade(models.Model):
    """A grade band of a scorecard version, with its default probability and, once outcomes
    are known, the bad rate realised by the projects scored in it."""

    _name = "guarantee.scorecard.grade"
    _inherit = ["guarantee.scorecard.line.mixin"]
    _description = "Scorecard Grade"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one(
        "guarantee.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Grade", required=True)
    min_score = fields.Float(string="Minimum Score", digits=(16, 2))
    pd = fields.Float(string="PD", digits=(16, 4), help="Probability of default of the band.")
    realised_count = fields.Integer(
        string="Outcomes Known",
        compute="_compute_realised",
        help="Projects scored in this grade whose outcome is known.",
    )
    realised_bad = fields.Integer(string="Bad Outcomes", compute="_compute_realised")
    realised_bad_rate = fields.Float(
        string="Realised Bad Rate", digits=(16, 4), compute="_compute_realised"
    )

    def _compute_realised(self):
        """One grouped query: projects scored by these versions, by grade and outcome."""
        groups = (
            self.env["guarantee.project"]
            .sudo()
            ._read_group(
                [
                    ("scorecard_id", "in", self.scorecard_id.ids),
                    ("score_outcome", "in", ("good", "bad")),
                ],
                ["scorecard_id", "grade", "score_outcome"],
                ["__count"],
            )
        )
        counts = {}
        for scorecard, grade, outcome, count in groups:
            counts[(scorecard.id, grade, outcome)] = count
        for band in self:
            key = (band.scorecard_id.id, band.name)
            bad = counts.get(key + ("bad",), 0)
            total = bad + counts.get(key + ("good",), 0)
            band.realised_count = total
            band.realised_bad = bad
            band.realised_bad_rate = bad / total if total else 0.0


def outcome_of(state, risk_class):
    """good / bad / False (not known yet) for a project's state and risk class."""
    if state in BAD_STATES or (
        state in ("active",) + FINISHED_STATES and risk_class in NON_PERFORMING_CLASSES
    ):
        return "bad"
    if state == "released":
        return "good"
    return False
