from odoo import fields, models


class GuaranteeProduct(models.Model):
    _inherit = "guarantee.product"

    document_type_ids = fields.Many2many(
        "guarantee.document.type",
        "guarantee_document_type_product_rel",
        "product_id",
        "document_type_id",
        string="Required Documents",
        help="The document checklist of this product's projects, by step.",
    )
