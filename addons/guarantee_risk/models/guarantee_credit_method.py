from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

METHOD_BASES = [
    ("net_assets", "Net Assets"),
    ("sales", "Sales Revenue"),
    ("collateral", "Recognised Counter-Guarantee Value"),
]


class GuaranteeCreditMethod(models.Model):
    """A measurement method a company configures beside the working-capital method: a
    multiple of the customer's net assets, of its sales or of the recognised value of the
    project's counter-guarantees, for the products it names."""

    _name = "guarantee.credit.method"
    _description = "Credit-Line Measurement Method"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    base = fields.Selection(METHOD_BASES, required=True)
    factor = fields.Float(
        digits=(16, 4), required=True, default=1.0,
        help="The line is this multiple of the base (0.5 = half the net assets).",
    )
    product_ids = fields.Many2many(
        "guarantee.product",
        string="Products",
        check_company=True,
        help="Products the method is offered for; empty: every product.",
    )
    note = fields.Text()

    @api.constrains("factor")
    def _check_factor(self):
        for method in self:
            if method.factor <= 0:
                raise ValidationError(_("The multiple of a measurement method must be positive."))
