from odoo import api, fields, models

from ..tools import financial_ratios

RATIO_SELECTION = [(code, label) for code, label, _unit, _higher in financial_ratios.RATIOS]
FLAGS = [("good", "At or Better than Average"), ("weak", "Worse than Average"), ("poor", "Poor")]
RATIO_OPERATORS = [("above", "Above the Threshold"), ("below", "Below the Threshold")]
TRENDS = [("up", "Up"), ("down", "Down"), ("flat", "Flat")]


class GuaranteeFinancialRatio(models.Model):
    """One ratio of one statement, computed from its lines (never typed), with its trend
    against the previous period and its flag against the industry benchmark."""

    _name = "guarantee.financial.ratio"
    _description = "Financial Ratio"
    _order = "partner_id, date_end desc, sequence, id"
    _check_company_auto = True

    statement_id = fields.Many2one(
        "guarantee.financial.statement", required=True, ondelete="cascade", index=True,
        readonly=True,
    )
    partner_id = fields.Many2one(related="statement_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="statement_id.company_id", store=True, index=True)
    date_end = fields.Date(related="statement_id.date_end", store=True, index=True)
    kind = fields.Selection(related="statement_id.kind", store=True)
    statement_state = fields.Selection(related="statement_id.state", store=True)
    ratio = fields.Selection(RATIO_SELECTION, required=True, readonly=True, index=True)
    sequence = fields.Integer(readonly=True)
    unit = fields.Char(compute="_compute_unit")
    value = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    has_value = fields.Boolean(readonly=True, help="False when a denominator is zero.")
    previous_value = fields.Float(digits=(16, 2), readonly=True)
    has_previous = fields.Boolean(readonly=True)
    trend = fields.Selection(TRENDS, readonly=True)
    benchmark_average = fields.Float(string="Industry Average", digits=(16, 2), readonly=True)
    benchmark_poor = fields.Float(string="Industry Poor Value", digits=(16, 2), readonly=True)
    has_benchmark = fields.Boolean(readonly=True)
    flag = fields.Selection(FLAGS, readonly=True, index=True)

    @api.depends("ratio")
    def _compute_unit(self):
        units = {"%": "%", "x": "×", "d": self.env._("days")}
        for line in self:
            line.unit = units.get(financial_ratios.UNITS.get(line.ratio), "")

    @api.model
    def _rebuild(self, statements):
        """Replace the ratio lines of ``statements`` with freshly computed ones."""
        self.search([("statement_id", "in", statements.ids)]).unlink()
        benchmarks = self.env["guarantee.financial.benchmark"]._for_partners(statements.partner_id)
        order = {code: position for position, code in enumerate(financial_ratios.RATIO_CODES)}
        vals_list = []
        for statement in statements:
            values = statement._ratios()
            previous = statement.previous_id
            previous_values = (
                previous._ratios() if previous and previous.period_days == statement.period_days
                else {}
            )
            marks = benchmarks.get(statement.partner_id.id, {})
            for code in financial_ratios.RATIO_CODES:
                value, before = values.get(code), previous_values.get(code)
                average, poor = marks.get(code, (None, None))
                vals_list.append({
                    "statement_id": statement.id,
                    "ratio": code,
                    "sequence": order[code],
                    "value": value or 0.0,
                    "has_value": value is not None,
                    "previous_value": before or 0.0,
                    "has_previous": before is not None,
                    "trend": financial_ratios.trend(value, before),
                    "benchmark_average": average or 0.0,
                    "benchmark_poor": poor or 0.0,
                    "has_benchmark": average is not None,
                    "flag": financial_ratios.flag(code, value, average, poor),
                })
        return self.create(vals_list)

    @api.model
    def _values_by_statement(self, statements):
        """{statement id: {ratio: value or None}} read from the stored lines, in one query."""
        result = {statement.id: {} for statement in statements}
        for row in self.sudo().search_read(
            [("statement_id", "in", statements.ids)],
            ["statement_id", "ratio", "value", "has_value"],
        ):
            result[row["statement_id"][0]][row["ratio"]] = (
                row["value"] if row["has_value"] else None
            )
        return result
