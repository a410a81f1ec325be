from odoo import api, fields, models


class GuaranteeScorecardBin(models.Model):
    """A bin of a characteristic: numeric bounds (lower excluded, upper included),
    categories, or the bin of missing values; its WOE and points."""

    _name = "guarantee.scorecard.bin"
    _inherit = ["guarantee.scorecard.line.mixin"]
    _description = "Scorecard Bin"
    _order = "characteristic_id, sequence, id"

    characteristic_id = fields.Many2one(
        "guarantee.scorecard.characteristic", required=True, ondelete="cascade", index=True
    )
    scorecard_id = fields.Many2one(related="characteristic_id.scorecard_id", store=True, index=True)
    company_id = fields.Many2one(related="characteristic_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(compute="_compute_name", string="Bin")
    is_missing = fields.Boolean(string="Missing Values")
    has_lower = fields.Boolean(string="Has Lower Bound")
    lower_bound = fields.Float(digits=(16, 6))
    has_upper = fields.Boolean(string="Has Upper Bound")
    upper_bound = fields.Float(digits=(16, 6))
    categories = fields.Char(help="Categories of this bin, separated by |.")
    count_train = fields.Integer(string="Training Rows")
    bad_train = fields.Integer(string="Training Bads")
    woe = fields.Float(string="WOE", digits=(16, 4))
    points = fields.Float(digits=(16, 2))

    @api.depends("is_missing", "has_lower", "lower_bound", "has_upper", "upper_bound", "categories")
    def _compute_name(self):
        for item in self:
            if item.is_missing:
                item.name = "∅"
            elif item.categories:
                item.name = item.categories
            else:
                low = "%g" % item.lower_bound if item.has_lower else "-∞"
                high = "%g" % item.upper_bound if item.has_upper else "+∞"
                item.name = "(%s, %s]" % (low, high)

    @api.model
    def _values_from_engine(self, item, sequence):
        return {
            "sequence": sequence,
            "is_missing": item["missing"],
            "has_lower": item["lower"] is not None,
            "lower_bound": item["lower"] or 0.0,
            "has_upper": item["upper"] is not None,
            "upper_bound": item["upper"] or 0.0,
            "categories": "|".join(item["categories"]),
            "count_train": item["count"],
            "bad_train": item["bad"],
            "woe": item["woe"],
            "points": item["points"],
        }

    def _engine_bin(self):
        self.ensure_one()
        return {
            "missing": self.is_missing,
            "lower": self.lower_bound if self.has_lower else None,
            "upper": self.upper_bound if self.has_upper else None,
            "categories": self.categories.split("|") if self.categories else [],
            "points": self.points,
        }
