from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

STATEMENT_FREQUENCIES = [
    ("annual", "Annual"),
    ("semiannual", "Half-Yearly"),
    ("quarterly", "Quarterly"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_statement_frequency = fields.Selection(
        STATEMENT_FREQUENCIES,
        string="Statements Asked For",
        default="annual",
        required=True,
        help="How often post-loan monitoring asks customers in force for their statements.",
    )
    guarantee_statement_due_days = fields.Integer(
        string="Statements Due After (days)",
        default=120,
        help="Days after the period end the customer has to hand in its statements.",
    )

    @api.constrains("guarantee_statement_due_days")
    def _check_statement_due_days(self):
        if any(company.guarantee_statement_due_days < 0 for company in self):
            raise ValidationError(_("The days to hand in statements cannot be negative."))
