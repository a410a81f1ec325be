from odoo import api, fields, models


class GuaranteeScorecardCharacteristic(models.Model):
    """A characteristic of a scorecard version, with its information value."""

    _name = "guarantee.scorecard.characteristic"
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

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.scorecard_id._check_lines_editable()
        return records

    def write(self, vals):
        self.scorecard_id._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self.scorecard_id._check_lines_editable()
