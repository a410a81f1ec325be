from odoo import fields, models


class GuaranteeScorecardPsiLine(models.Model):
    """Stability of one characteristic: its bins now against training."""

    _name = "guarantee.scorecard.psi.line"
    _description = "Characteristic Stability"
    _order = "psi desc, id"

    psi_id = fields.Many2one(
        "guarantee.scorecard.psi", required=True, ondelete="cascade", index=True
    )
    characteristic_id = fields.Many2one(
        "guarantee.scorecard.characteristic", required=True, ondelete="cascade"
    )
    psi = fields.Float(string="Stability Index", digits=(16, 4))
