from odoo import fields, models

FEATURES = [
    ("amount", "Guarantee Amount (10k CNY)"),
    ("term_months", "Term (months)"),
    ("enterprise_scale", "Enterprise Scale"),
    ("industry", "Industry Section"),
    ("region", "Province"),
    ("registered_capital", "Registered Capital (10k CNY)"),
    ("company_age", "Years Since Establishment"),
    ("coverage_ratio", "Counter-Guarantee Coverage (%)"),
    ("own_share", "Own Share (%)"),
    ("is_agricultural", "Agricultural"),
    ("business_type", "Business Type"),
]


class GuaranteeScorecardFeature(models.Model):
    """A characteristic a scorecard can learn from the company's own projects; admins choose
    which ones training from history uses."""

    _name = "guarantee.scorecard.feature"
    _description = "Scorecard Feature"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(FEATURES, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection([("numeric", "Numeric"), ("categorical", "Categorical")], required=True)
    monotonic = fields.Boolean(
        default=True, help="Numeric bins merged until the bad rate moves in one direction."
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each feature is defined once."),
    ]
