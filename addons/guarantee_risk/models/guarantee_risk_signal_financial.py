from odoo import fields, models

from .guarantee_financial_ratio import RATIO_SELECTION

FINANCIAL_SIGNAL = [("financial_ratio", "Financial Ratio Beyond Threshold")]


class GuaranteeRiskSignal(models.Model):
    """A warning raised by post-loan monitoring when a ratio of a new statement crosses the
    threshold of a warning rule."""

    _inherit = "guarantee.risk.signal"

    # the statement and the ratio that raised the warning: set by post-loan monitoring only
    _lock_action_fields = (
        "state", "provider_id", "provider_event_id", "rule_id", "suggested_risk_class",
        "response_deadline", "classification_id", "financial_statement_id", "ratio",
    )

    signal_type = fields.Selection(
        selection_add=FINANCIAL_SIGNAL, ondelete={"financial_ratio": "set default"}
    )
    financial_statement_id = fields.Many2one(
        "guarantee.financial.statement", string="Statement", readonly=True, index=True,
        ondelete="set null",
    )
    ratio = fields.Selection(RATIO_SELECTION, readonly=True)
