"""Glue between due diligence and the scorecards: the ratios of a customer's statements as
scorecard characteristics and as first-review rule inputs. Kept apart so that it moves with
the scorecards to their own addon."""

from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.guarantee_risk.models.guarantee_financial_ratio import (
    RATIO_OPERATORS,
    RATIO_SELECTION,
)
from odoo.addons.guarantee_risk.tools import financial_ratios

FEATURE_PREFIX = "fin_"
FINANCIAL_FEATURES = [(FEATURE_PREFIX + code, label) for code, label in RATIO_SELECTION]


class GuaranteeScorecardFeature(models.Model):
    _inherit = "guarantee.scorecard.feature"

    code = fields.Selection(
        selection_add=FINANCIAL_FEATURES,
        ondelete={code: "cascade" for code, _label in FINANCIAL_FEATURES},
    )


class GuaranteePrescreenRule(models.Model):
    _inherit = "guarantee.prescreen.rule"

    kind = fields.Selection(
        selection_add=[
            ("financial_missing", "No confirmed annual statement"),
            ("financial_ratio", "Financial ratio beyond its threshold"),
        ],
        ondelete={"financial_missing": "cascade", "financial_ratio": "cascade"},
    )
    ratio = fields.Selection(
        RATIO_SELECTION, help="The ratio of the customer's last confirmed annual statement."
    )
    ratio_operator = fields.Selection(RATIO_OPERATORS, string="Hits When", default="above")

    @api.constrains("kind", "ratio", "ratio_operator")
    def _check_ratio_rule(self):
        for rule in self:
            if rule.kind == "financial_ratio" and not (rule.ratio and rule.ratio_operator):
                raise ValidationError(
                    _("A financial-ratio rule names its ratio and when it hits.")
                )


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    financial_ratio_values = fields.Json(
        compute="_compute_financial_ratio_values",
        help="{ratio: value} of the customer's last confirmed annual statement before the "
        "project (None where a denominator is zero).",
    )
    financial_statement_id = fields.Many2one(
        "guarantee.financial.statement",
        string="Last Statement",
        compute="_compute_financial_ratio_values",
    )

    @api.depends("partner_id.financial_statement_ids.state", "date_start")
    def _compute_financial_ratio_values(self):
        """In one search for all the projects computed together."""
        Statement = self.env["guarantee.financial.statement"].sudo()
        statements = Statement.search(
            [("partner_id", "in", self.partner_id.ids), ("kind", "=", "annual"),
             ("state", "in", ("confirmed", "locked"))],
            order="date_end desc, id desc",
        )
        values = self.env["guarantee.financial.ratio"]._values_by_statement(statements)
        for project in self:
            reference = project._financial_reference_date()
            statement = next(
                (s for s in statements
                 if s.partner_id == project.partner_id and s.date_end <= reference),
                Statement.browse(),
            )
            project.financial_statement_id = statement
            project.financial_ratio_values = values.get(statement.id, {}) if statement else {}

    def _financial_reference_date(self):
        return self.date_start or fields.Date.to_date(self.create_date) or date.today()

    def _scorecard_features(self):
        features = super()._scorecard_features()
        ratios = self.financial_ratio_values or {}
        for code in financial_ratios.RATIO_CODES:
            features[FEATURE_PREFIX + code] = ratios.get(code)
        return features

    def _prescreen_financial_missing(self, rule):
        if not self.financial_statement_id:
            return self.env._(
                "The customer has no confirmed annual statement before the project."
            )
        return False

    def _prescreen_financial_ratio(self, rule):
        """Hits when the ratio of the last confirmed annual statement is beyond the threshold
        (a ratio that cannot be computed, or no statement, is for the rule above)."""
        value = (self.financial_ratio_values or {}).get(rule.ratio)
        if value is None:
            return False
        above = rule.ratio_operator == "above"
        if (value > rule.threshold) if above else (value < rule.threshold):
            labels = dict(self.env["guarantee.prescreen.rule"]._fields["ratio"]
                          ._description_selection(self.env))
            return self.env._(
                "%(ratio)s %(value).2f is %(side)s the threshold %(threshold).2f (statement of "
                "%(date)s).",
                ratio=labels.get(rule.ratio, rule.ratio), value=value, threshold=rule.threshold,
                side=self.env._("above") if above else self.env._("below"),
                date=self.financial_statement_id.date_end,
            )
        return False
