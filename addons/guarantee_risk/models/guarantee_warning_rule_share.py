from odoo import fields, models

from .guarantee_risk_signal_share import SHARE_SIGNAL_TYPES


class GuaranteeWarningRule(models.Model):
    _inherit = "guarantee.warning.rule"

    signal_type = fields.Selection(
        selection_add=SHARE_SIGNAL_TYPES,
        ondelete={key: "cascade" for key, _label in SHARE_SIGNAL_TYPES},
    )
