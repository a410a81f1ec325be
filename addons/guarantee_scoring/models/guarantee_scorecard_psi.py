from odoo import fields, models


class GuaranteeScorecardPsi(models.Model):
    """Population stability of a scorecard version over a period against its training."""

    _name = "guarantee.scorecard.psi"
    _description = "Scorecard Stability"
    _order = "date_to desc, id desc"

    scorecard_id = fields.Many2one(
        "guarantee.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    count = fields.Integer(string="Scores")
    psi = fields.Float(string="PSI", digits=(16, 4))
    alert = fields.Boolean(help="The PSI exceeded the company's alert threshold.")
    line_ids = fields.One2many(
        "guarantee.scorecard.psi.line", "psi_id", string="Characteristic Stability"
    )
