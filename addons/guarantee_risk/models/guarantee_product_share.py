from odoo import fields, models


class GuaranteeProduct(models.Model):
    _inherit = "guarantee.product"

    share_agreement_ids = fields.Many2many(
        "guarantee.share.agreement", "guarantee_product_share_agreement_rel", "product_id",
        "agreement_id", string="Default Risk Split",
        help="The agreements a new application of this product shares its risk with (a bank's "
        "only when it is the lending bank).",
    )
