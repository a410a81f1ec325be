from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_manual_payment_limit = fields.Monetary(
        string="Manual Payments: Second Confirmation Above",
        currency_field="currency_id",
        default=500000.0,
        help="A payment order marked done by hand above this amount needs a second finance "
        "user's confirmation (four eyes). 0: one confirmation always suffices.",
    )
