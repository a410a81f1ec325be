from odoo import fields, models


class GuaranteeScorecardCharacteristic(models.Model):
    """A characteristic of a scorecard version, with its information value."""

    _name = "guarantee.scorecard.characteristic"
    _inherit = ["guarantee.scorecard.line.mixin"]
    _description = "Scorecard Characteristic"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one(
        "guarantee.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Column", required=True, help="Column of the training data.")
    label = fields.Char()
    kind = fields.Selection([("numeric", "Numeric"), ("categorical", "Categorical")], required=True)
    monotonic = fields.Boolean(help="Numeric bins merged until the bad rate is monotonic.")
    iv = fields.Float(string="Information Value", digits=(16, 4))
    coefficient = fields.Float(digits=(16, 6))
    bin_ids = fields.One2many("guarantee.scorecard.bin", "characteristic_id", string="Bins")

