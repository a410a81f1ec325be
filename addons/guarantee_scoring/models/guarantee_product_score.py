from odoo import fields, models


class GuaranteeProduct(models.Model):
    _inherit = "guarantee.product"

    score_required_step = fields.Selection(
        [("submit_review", "Submission for Review"), ("approve", "Approval")],
        string="Score Required Before",
        help="The step a project of this product cannot take without a score from an active "
        "scorecard.",
    )
