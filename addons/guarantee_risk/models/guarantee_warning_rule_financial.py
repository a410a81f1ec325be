from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .guarantee_financial_ratio import RATIO_OPERATORS, RATIO_SELECTION
from .guarantee_risk_signal_financial import FINANCIAL_SIGNAL


class GuaranteeWarningRule(models.Model):
    """A warning rule on a financial ratio: when a confirmed statement of a customer in force
    has the ratio beyond the threshold, a warning is raised on each of its projects."""

    _inherit = "guarantee.warning.rule"

    signal_type = fields.Selection(
        selection_add=FINANCIAL_SIGNAL, ondelete={"financial_ratio": "cascade"}
    )
    ratio = fields.Selection(RATIO_SELECTION)
    ratio_operator = fields.Selection(RATIO_OPERATORS, string="Warns When", default="above")
    ratio_threshold = fields.Float(string="Threshold", digits=(16, 2))

    @api.constrains("signal_type", "ratio", "ratio_operator")
    def _check_ratio_rule(self):
        for rule in self:
            if rule.signal_type == "financial_ratio" and not (rule.ratio and rule.ratio_operator):
                raise ValidationError(_("A warning rule on a financial ratio names the ratio."))

    def _match(self, signal):
        """A rule on a ratio matches only the warnings about that ratio."""
        rules = self.filtered(lambda rule: not rule.ratio or rule.ratio == signal.ratio)
        return super(GuaranteeWarningRule, rules)._match(signal)

    def _ratio_crossed(self, value):
        self.ensure_one()
        if value is None:
            return False
        if self.ratio_operator == "above":
            return value > self.ratio_threshold
        return value < self.ratio_threshold
