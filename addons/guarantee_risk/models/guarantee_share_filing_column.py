from odoo import fields, models

# What a column of a filing file may hold: key -> default header.
FILING_KEYS = [
    ("project", "Project Number"),
    ("legacy_ref", "Ledger Reference"),
    ("borrower", "Borrower"),
    ("uscc", "USCC / ID Number"),
    ("scale", "Enterprise Scale"),
    ("agricultural", "Agricultural"),
    ("industry", "Industry"),
    ("region", "Province"),
    ("product", "Product"),
    ("bank", "Lending Bank"),
    ("amount", "Guaranteed Amount"),
    ("loan_amount", "Loan Released"),
    ("share", "Share (%)"),
    ("covered_amount", "Amount Covered"),
    ("fee_rate", "Guarantee Fee Rate (%/year)"),
    ("term_months", "Term (months)"),
    ("loan_release_date", "Loan Release Date"),
    ("date_end", "End Date"),
    ("deadline", "Filing Deadline"),
]
# The columns of a file whose agreement defines none.
DEFAULT_KEYS = ("project", "borrower", "uscc", "scale", "bank", "amount", "share",
                "covered_amount", "loan_release_date", "date_end")


class GuaranteeShareFilingColumn(models.Model):
    """One column of the filing file an agreement's counterparty asks for."""

    _name = "guarantee.share.filing.column"
    _description = "Filing File Column"
    _order = "agreement_id, sequence, id"

    agreement_id = fields.Many2one(
        "guarantee.share.agreement", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    key = fields.Selection(FILING_KEYS, string="Content", required=True)
    header = fields.Char(help="The column's title in the file; empty: the content's name.")
