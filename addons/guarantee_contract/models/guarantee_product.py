from odoo import fields, models


class GuaranteeProduct(models.Model):
    _inherit = "guarantee.product"

    needs_guarantee_contract = fields.Boolean(
        string="Guarantee Contract with the Creditor",
        default=True,
        help="Projects of this product sign a guarantee contract (保证合同) with the creditor "
        "in addition to the entrusted-guarantee contract with the applicant.",
    )
    needs_counter_contracts = fields.Boolean(
        string="Counter-Guarantee Contracts",
        default=True,
        help="Projects of this product sign one counter-guarantee contract (反担保合同) per "
        "collateral or guarantor.",
    )
