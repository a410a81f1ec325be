from odoo import fields, models


class GuaranteeScorecardScore(models.Model):
    """One scoring of a project (and its customer) by a scorecard version; rescoring adds a
    line, so the history stays."""

    _name = "guarantee.scorecard.score"
    _description = "Score History"
    _order = "date desc, id desc"

    scorecard_id = fields.Many2one(
        "guarantee.scorecard", required=True, ondelete="restrict", index=True, readonly=True
    )
    project_id = fields.Many2one(
        "guarantee.project", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one("res.partner", index=True, readonly=True, string="Customer")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    score = fields.Float(digits=(16, 2), readonly=True)
    grade = fields.Char(readonly=True)
    pd = fields.Float(string="PD", digits=(16, 4), readonly=True)
    reasons = fields.Text(readonly=True, help="The characteristics that cost most points.")
    bin_ids = fields.Many2many(
        "guarantee.scorecard.bin",
        string="Bins Hit",
        readonly=True,
        help="Bin of each characteristic: the characteristic stability is computed from them.",
    )
