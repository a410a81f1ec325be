from odoo import fields, models

# Deadlines of risk sharing: an unfiled project loses its cover, a late claim is not paid.
SHARE_SIGNAL_TYPES = [
    ("share_filing_overdue", "Risk-Sharing Filing Overdue"),
    ("share_claim_due", "Risk-Sharing Claim Deadline"),
]


class GuaranteeRiskSignal(models.Model):
    _inherit = "guarantee.risk.signal"

    signal_type = fields.Selection(
        selection_add=SHARE_SIGNAL_TYPES,
        ondelete={key: "set default" for key, _label in SHARE_SIGNAL_TYPES},
    )
