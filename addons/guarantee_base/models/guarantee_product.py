from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

BUSINESS_TYPES = [
    ("loan", "Loan Guarantee"),
    ("bond", "Bond Issuance Guarantee"),
    ("other_financing", "Other Financing Guarantee"),
    ("housing", "Housing Provident / Mortgage Guarantee"),
    ("non_financing", "Non-Financing Guarantee"),
]


class GuaranteeProduct(models.Model):
    """业务品种: a kind of guarantee with its default terms."""

    _name = "guarantee.product"
    _description = "Guarantee Product"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )
    business_type = fields.Selection(
        BUSINESS_TYPES, required=True, default="loan", index=True, tracking=True
    )
    is_financing = fields.Boolean(compute="_compute_is_financing", store=True)
    default_fee_rate = fields.Float(
        string="Default Fee Rate (%/year)", digits=(16, 4), tracking=True
    )
    default_margin_rate = fields.Float(string="Default Margin Rate (%)", digits=(16, 2))
    min_coverage_ratio = fields.Float(
        string="Minimum Counter-Guarantee Coverage (%)",
        digits=(16, 2),
        help="Recognized value of counter-guarantees / own-share amount, below which the "
        "project cannot be contracted or activated.",
    )
    max_amount = fields.Monetary(
        string="Maximum Amount", currency_field="currency_id", help="0 means no maximum."
    )
    max_term_months = fields.Integer(string="Maximum Term (months)", help="0 means no maximum.")
    committee_threshold = fields.Monetary(
        string="Committee Review Above",
        currency_field="currency_id",
        help="Projects of at least this amount need a review-committee decision before "
        "approval. 0 means every project goes to the committee.",
    )
    description = fields.Html(translate=True)

    _sql_constraints = [
        ("code_company_unique", "unique(code, company_id)", "The product code must be unique."),
    ]

    @api.depends("business_type")
    def _compute_is_financing(self):
        for product in self:
            product.is_financing = product.business_type != "non_financing"

    @api.constrains(
        "default_fee_rate", "default_margin_rate", "min_coverage_ratio", "max_amount"
    )
    def _check_rates(self):
        for product in self:
            if min(product.default_fee_rate, product.default_margin_rate) < 0 or (
                product.default_fee_rate > 100 or product.default_margin_rate > 100
            ):
                raise ValidationError(
                    _("Fee and margin rates of %(product)s must be between 0 and 100%%.",
                      product=product.name)
                )
            if product.min_coverage_ratio < 0 or product.max_amount < 0:
                raise ValidationError(
                    _("Coverage and maximum amount of %(product)s cannot be negative.",
                      product=product.name)
                )
