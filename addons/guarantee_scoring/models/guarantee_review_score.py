from odoo import fields, models


class GuaranteeReview(models.Model):
    """The committee sees the score and the first-review recommendation of the project."""

    _inherit = "guarantee.review"

    project_score = fields.Float(related="project_id.score", string="Score")
    project_grade = fields.Char(related="project_id.grade", string="Grade")
    project_pd = fields.Float(related="project_id.pd", string="PD", digits=(16, 4))
    project_scorecard_id = fields.Many2one(
        related="project_id.scorecard_id", string="Scorecard Version"
    )
    project_score_reasons = fields.Text(related="project_id.score_reasons", string="Reason Codes")
    project_prescreen_result = fields.Selection(
        related="project_id.prescreen_result", string="First Review"
    )
    project_prescreen_reasons = fields.Text(
        related="project_id.prescreen_reasons", string="First-Review Reasons"
    )
