from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import financial_ratios as fr
from ..tools import working_capital as wc

METHODS = [("working_capital", "Working Capital"), ("configured", "Configured Method")]
OPENING_SOURCES = [
    ("column", "Opening Column of the Statement"),
    ("previous", "Previous Statement"),
    ("closing", "Closing Balances Only"),
]
# The figures the measurement computes: written only by _measure, kept once confirmed.
FIGURES = (
    "revenue", "cost_of_sales", "total_profit", "profit_margin", "opening_source",
    "avg_receivable", "avg_inventory", "avg_payable", "avg_prepayment", "avg_advance",
    "days_receivable", "days_inventory", "days_payable", "days_prepayment", "days_advance",
    "cycle_days", "turnover_count", "working_capital_need", "own_funds", "existing_loans",
    "base_amount", "factor", "measured_amount", "adjustment_total", "result_amount",
    "measure_message",
)


class GuaranteeCreditMeasurement(models.Model):
    """授信额度测算: how large a credit line the customer's figures support, kept with every
    figure it used, proposed as the amount of a credit line."""

    _name = "guarantee.credit.measurement"
    _description = "Credit-Line Measurement"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.credit.measurement"
    _order = "date desc, id desc"
    _check_company_auto = True

    _lock_action_fields = ("state", "user_id") + FIGURES
    _lock_readonly_states = ("confirmed",)
    _lock_unlink_states = ("draft",)
    # Confirmed with its figures, back to draft while no credit line came from it.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_confirm": (("draft",), "confirmed"),
        "action_reset_draft": (("confirmed",), "draft"),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain="[('is_guarantee_customer', '=', True)]", check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    project_id = fields.Many2one(
        "guarantee.project", index=True, tracking=True, check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The project the line is measured for (its product offers the configured "
        "methods, its counter-guarantees are the base of the collateral method).",
    )
    product_id = fields.Many2one(related="project_id.product_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Measured By", default=lambda self: self.env.user, readonly=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed")], default="draft", required=True,
        readonly=True, copy=False, index=True, tracking=True,
    )
    method = fields.Selection(METHODS, required=True, default="working_capital", tracking=True)
    method_id = fields.Many2one(
        "guarantee.credit.method", string="Configured Method", check_company=True, tracking=True
    )
    statement_id = fields.Many2one(
        "guarantee.financial.statement",
        string="Last Year's Statement",
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('partner_id', '=', partner_id), ('state', 'in', ('confirmed', 'locked'))]",
        help="The annual statement of last year (上年度); its opening balances come from its "
        "own opening column or from the statement before it.",
    )
    statement_ids = fields.Many2many(
        "guarantee.financial.statement", string="Statements Used",
        compute="_compute_statement_ids",
    )
    growth_rate = fields.Float(
        string="Expected Sales Growth (%)", digits=(16, 2), tracking=True,
        help="预计销售收入年增长率, as the project manager expects it.",
    )
    growth_reason = fields.Text(string="Why This Growth", tracking=True)
    other_funds = fields.Monetary(
        string="Working Capital from Other Sources", currency_field="currency_id", tracking=True,
        help="其他渠道提供的营运资金 (shareholder loans, other lenders…).",
    )
    other_funds_reason = fields.Text(string="Other Sources")
    adjustment_ids = fields.One2many(
        "guarantee.credit.measurement.adjustment", "measurement_id", string="Adjustments"
    )
    # ---- figures (computed by _measure, never typed)
    revenue = fields.Monetary(string="Sales Revenue", readonly=True)
    cost_of_sales = fields.Monetary(readonly=True)
    total_profit = fields.Monetary(readonly=True)
    profit_margin = fields.Float(string="Profit Margin (%)", digits=(16, 4), readonly=True)
    opening_source = fields.Selection(OPENING_SOURCES, string="Opening Balances From",
                                      readonly=True)
    avg_receivable = fields.Monetary(string="Average Receivables", readonly=True)
    avg_inventory = fields.Monetary(string="Average Inventory", readonly=True)
    avg_payable = fields.Monetary(string="Average Payables", readonly=True)
    avg_prepayment = fields.Monetary(string="Average Prepayments", readonly=True)
    avg_advance = fields.Monetary(string="Average Advances Received", readonly=True)
    days_receivable = fields.Float(string="Receivable Days", digits=(16, 2), readonly=True)
    days_inventory = fields.Float(string="Inventory Days", digits=(16, 2), readonly=True)
    days_payable = fields.Float(string="Payable Days", digits=(16, 2), readonly=True)
    days_prepayment = fields.Float(string="Prepayment Days", digits=(16, 2), readonly=True)
    days_advance = fields.Float(string="Advance Days", digits=(16, 2), readonly=True)
    cycle_days = fields.Float(string="Cycle (days)", digits=(16, 2), readonly=True)
    turnover_count = fields.Float(string="Working-Capital Turnovers", digits=(16, 4),
                                  readonly=True)
    working_capital_need = fields.Monetary(string="Working Capital Needed", readonly=True)
    own_funds = fields.Monetary(string="Borrower's Own Funds", readonly=True,
                                help="流动资产 − 流动负债, never below zero.")
    existing_loans = fields.Monetary(string="Existing Working-Capital Loans", readonly=True,
                                     help="短期借款 of the statement.")
    base_amount = fields.Monetary(string="Base", readonly=True)
    factor = fields.Float(string="Multiple", digits=(16, 4), readonly=True)
    measured_amount = fields.Monetary(
        string="Measured Amount", readonly=True,
        help="新增流动资金贷款额度 (or the configured multiple), before adjustments.",
    )
    adjustment_total = fields.Monetary(string="Total Adjustments", readonly=True)
    result_amount = fields.Monetary(
        string="Proposed Line", readonly=True, tracking=True,
        help="The measured amount plus the adjustments, never below zero.",
    )
    measure_message = fields.Text(string="Why It Cannot Be Measured", readonly=True)
    credit_line_ids = fields.One2many("guarantee.credit.line", "measurement_id",
                                      string="Credit Lines")
    note = fields.Text()

    # ------------------------------------------------------------------ computes

    @api.depends("statement_id")
    def _compute_statement_ids(self):
        for measurement in self:
            statement = measurement.statement_id
            measurement.statement_ids = statement | statement.previous_id

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        measurements = super().create(vals_list)
        measurements._measure()
        return measurements

    def write(self, vals):
        result = super().write(vals)
        inputs = {"method", "method_id", "statement_id", "project_id", "growth_rate",
                  "other_funds", "adjustment_ids", "partner_id"}
        if inputs & set(vals):
            self.filtered(lambda m: m.state == "draft")._measure()
        return result

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and (
            not self.statement_id or self.statement_id.partner_id != self.partner_id
        ):
            latest = self.env["guarantee.financial.statement"]._latest_confirmed(self.partner_id)
            self.statement_id = latest.get(self.partner_id.id, False)

    @api.onchange("method", "method_id", "statement_id", "project_id", "growth_rate",
                  "other_funds", "adjustment_ids")
    def _onchange_figures(self):
        self.update(self._figures())

    # ------------------------------------------------------------------ actions

    def action_confirm(self):
        """Keep the measurement as it is: its figures and inputs no longer change."""
        self._check_can_confirm()
        self._unlocked().write({"state": "confirmed"})
        return True

    def action_reset_draft(self):
        used = self.credit_line_ids.filtered(lambda line: line.state != "draft")
        if used:
            raise UserError(
                _("The credit lines %(lines)s came from this measurement: it stays as they "
                  "used it.", lines=", ".join(used.mapped("name")))
            )
        self._unlocked().write({"state": "draft"})
        return True

    def action_propose_credit_line(self):
        """Open a new credit line with the measured amount, linked to this measurement."""
        self.ensure_one()
        if self.state != "confirmed" or self.result_amount <= 0:
            raise UserError(
                _("Only a confirmed measurement with a positive amount proposes a credit line.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.credit.line",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_measurement_id": self.id,
                "default_amount": self.result_amount,
                "default_date_start": fields.Date.context_today(self),
                "default_date_end": fields.Date.context_today(self) + relativedelta(years=1),
            },
        }

    def _check_can_confirm(self):
        problems = []
        for measurement in self:
            name = measurement.display_name
            if measurement.state != "draft":
                problems.append(_("%(name)s is already confirmed.", name=name))
                continue
            if measurement.measure_message:
                problems.append("%s: %s" % (name, measurement.measure_message))
            if measurement.method == "working_capital":
                if not (measurement.growth_reason or "").strip():
                    problems.append(_("%(name)s: give the reason for the expected growth.",
                                      name=name))
                if measurement.statement_id.state not in ("confirmed", "locked"):
                    problems.append(_("%(name)s: the statement used is not confirmed.",
                                      name=name))
            if measurement.other_funds and not (measurement.other_funds_reason or "").strip():
                problems.append(_("%(name)s: say where the other working capital comes from.",
                                  name=name))
        if problems:
            raise UserError(_("The measurement cannot be confirmed:\n%s", "\n".join(problems)))

    # ------------------------------------------------------------------ measuring

    def _measure(self):
        for measurement in self:
            measurement._unlocked().write(measurement._figures())

    def _figures(self):
        """Every figure of the measurement, from its inputs (tools/working_capital.py)."""
        self.ensure_one()
        figures = dict.fromkeys(FIGURES, 0.0)
        figures.update(opening_source=False, measure_message=False)
        try:
            if self.method == "working_capital":
                figures.update(self._working_capital_figures())
            else:
                figures.update(self._configured_figures())
        except wc.MeasurementError as error:
            figures["measure_message"] = self._error_message(error)
            return figures
        adjustments = self.adjustment_ids.mapped("amount")
        figures["adjustment_total"] = sum(adjustments)
        figures["result_amount"] = wc.proposed_amount(figures["measured_amount"], adjustments)
        return figures

    def _working_capital_figures(self):
        statement = self.statement_id
        if not statement:
            raise wc.MeasurementError("no_statement")
        if statement.kind != "annual":
            raise wc.MeasurementError("not_annual")
        values = statement._normalised()
        opening = statement._opening_values()
        if statement._values(column="amount_opening"):
            source = "column"
        else:
            source = "previous" if statement.previous_id else "closing"
        averages, days = fr.turnover_inputs(values, opening, statement.period_days)
        revenue = values.get(fr.REVENUE, 0.0)
        margin = fr.divide(values.get(fr.TOTAL_PROFIT, 0.0), revenue) if revenue > 0 else None
        need = wc.working_capital_need(revenue, (margin or 0.0) * 100, self.growth_rate, days)
        own = wc.own_funds(values.get(fr.CURRENT_ASSETS, 0.0),
                           values.get(fr.CURRENT_LIABILITIES, 0.0))
        existing = values.get(fr.SHORT_TERM_LOANS, 0.0)
        return {
            "revenue": revenue,
            "cost_of_sales": values.get(fr.COST_OF_SALES, 0.0),
            "total_profit": values.get(fr.TOTAL_PROFIT, 0.0),
            "profit_margin": (margin or 0.0) * 100,
            "opening_source": source,
            **{"avg_%s" % key: value for key, value in averages.items()},
            **{"days_%s" % key: value for key, value in days.items()},
            "cycle_days": need["cycle_days"],
            "turnover_count": need["turnover"] or 0.0,
            "working_capital_need": need["need"],
            "own_funds": own,
            "existing_loans": existing,
            "measured_amount": wc.new_working_capital_loan(
                need["need"], own, existing, self.other_funds
            ),
        }

    def _configured_figures(self):
        method = self.method_id
        if not method:
            raise wc.MeasurementError("no_method")
        if method.base == "collateral":
            if not self.project_id:
                raise wc.MeasurementError("no_project")
            base = sum(self.project_id.collateral_ids.filtered(
                lambda c: c.state != "released").mapped("recognized_value"))
        else:
            if not self.statement_id:
                raise wc.MeasurementError("no_statement")
            values = self.statement_id._normalised()
            base = values.get(fr.EQUITY if method.base == "net_assets" else fr.REVENUE, 0.0)
        return {
            "base_amount": base,
            "factor": method.factor,
            "measured_amount": wc.multiple_of(base, method.factor),
        }

    def _error_message(self, error):
        labels = {
            "receivable": _("receivable days (no sales revenue)"),
            "advance": _("advance days (no sales revenue)"),
            "inventory": _("inventory days (no cost of sales)"),
            "payable": _("payable days (no cost of sales)"),
            "prepayment": _("prepayment days (no cost of sales)"),
        }
        messages = {
            "no_statement": _("Choose the customer's statement of last year."),
            "not_annual": _("The working-capital method measures on last year's annual "
                            "statement, not an interim one."),
            "no_revenue": _("The statement has no sales revenue: the working-capital method "
                            "cannot measure a line."),
            "no_method": _("Choose the configured method."),
            "no_project": _("The collateral method needs the project whose counter-guarantees "
                            "it counts."),
            "no_base": _("The base of the method is zero or negative: no line can be measured "
                         "on it."),
        }
        if error.code == "no_turnover":
            return _("These turnover days cannot be computed: %(items)s.",
                     items=", ".join(labels[item] for item in error.params["items"]))
        return messages[error.code]
