from odoo import fields, models

# The steps a document can be required for, in the order a project takes them.
DOCUMENT_STAGES = [
    ("accept", "Intake"),
    ("start_investigation", "Due Diligence"),
    ("submit_review", "Submission for Review"),
    ("approve", "Approval"),
    ("contract", "Contracting"),
    ("activate", "Loan Release"),
    ("release", "Guarantee Release"),
]
STAGE_ORDER = [key for key, _label in DOCUMENT_STAGES]
# From approval on, a required document must also have been verified.
FIRST_VERIFIED_STAGE = "approve"


class GuaranteeDocumentType(models.Model):
    """A kind of document of the project checklist (营业执照, 征信报告…) and the step it gates."""

    _name = "guarantee.document.type"
    _description = "Guarantee Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    stage = fields.Selection(
        DOCUMENT_STAGES,
        required=True,
        default="accept",
        help="The step of the project that needs this document: the step is refused while a "
        "required document is missing (and, from approval on, not verified).",
    )
    required = fields.Boolean(
        default=True, help="Optional documents are listed on the checklist but do not block."
    )
    product_ids = fields.Many2many(
        "guarantee.product",
        "guarantee_document_type_product_rel",
        "document_type_id",
        "product_id",
        string="Products",
        help="Products whose projects need this document. A type linked to no product is "
        "not asked for.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_unique",
            "unique(code, company_id)",
            "The document type code must be unique.",
        ),
    ]
