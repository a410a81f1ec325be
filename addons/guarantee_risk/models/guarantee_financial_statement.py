from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.guarantee_platform.tools.money import format_amount

from ..tools import financial_checks, financial_ratios

# Set by the statement while it writes many lines, so that the ratios are rebuilt once after
# them; a Python object, which no RPC call can send.
DEFER_RATIOS = object()

STATEMENT_KINDS = [("annual", "Annual"), ("interim", "Interim")]
STANDARDS = [
    ("general", "General Enterprises"),
    ("small", "Small Enterprises"),
]
SOURCES = [
    ("customer", "Provided by the Customer"),
    ("audit", "Audit Report"),
    ("tax", "Tax Filing"),
    ("other", "Other"),
]
UNITS = [("1", "Yuan"), ("1000", "Thousand Yuan"), ("10000", "Ten Thousand Yuan")]
STATEMENT_STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("locked", "Locked")]
AUDIT_OPINIONS = [
    ("unqualified", "Unqualified"),
    ("qualified", "Qualified"),
    ("adverse", "Adverse"),
    ("disclaimer", "Disclaimer"),
]


class GuaranteeFinancialStatement(models.Model):
    """财务报表: one period of a customer's balance sheet, income statement and cash-flow
    statement, as amounts in yuan on the items of the catalogue."""

    _name = "guarantee.financial.statement"
    _description = "Financial Statement"
    _inherit = ["mail.thread", "mail.activity.mixin", "guarantee.lock.mixin"]
    _order = "partner_id, date_end desc, id desc"
    _check_company_auto = True

    # A confirmed statement is what measurements and reports read; a statement a signed-off
    # report used is locked for good.
    _lock_action_fields = ("state", "import_source_id")
    _lock_readonly_states = ("confirmed", "locked")
    _lock_unlink_states = ("draft",)
    # Confirmed once its checks pass, back to draft to correct it; locked (final) by the
    # sign-off of a due-diligence report that used it. The import wizard fills drafts only
    # and writes no state.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_confirm": (("draft",), "confirmed"),
        "action_reset_draft": (("confirmed",), "draft"),
        "report._do_sign_off": (("confirmed",), "locked"),
    }

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_guarantee_customer', '=', True)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(STATEMENT_KINDS, required=True, default="annual", tracking=True)
    date_end = fields.Date(string="Period End", required=True, index=True, tracking=True)
    date_start = fields.Date(
        string="Period Start",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        precompute=True,
        help="Interim statements in China are year to date: the period starts on 1 January.",
    )
    period_days = fields.Integer(
        compute="_compute_period_days",
        store=True,
        help="Days of the period in a 360-day year (30 per month), for the turnovers.",
    )
    standard = fields.Selection(
        STANDARDS, required=True, default="general", tracking=True,
        help="The accounting standard the customer reports under; both are kept on the same "
        "items.",
    )
    audited = fields.Boolean(tracking=True)
    auditor = fields.Char(string="Audit Firm", tracking=True)
    audit_opinion = fields.Selection(AUDIT_OPINIONS, tracking=True)
    source = fields.Selection(SOURCES, required=True, default="customer", tracking=True)
    unit = fields.Selection(
        UNITS,
        string="Unit of the Document",
        required=True,
        default="1",
        help="The unit the customer's document was in (amounts are kept in yuan): the checks "
        "allow the rounding of that unit.",
    )
    state = fields.Selection(
        STATEMENT_STATES, default="draft", required=True, readonly=True, copy=False, index=True,
        tracking=True,
    )
    line_ids = fields.One2many("guarantee.financial.statement.line", "statement_id",
                               string="Lines", copy=True)
    balance_line_ids = fields.One2many(
        "guarantee.financial.statement.line", "statement_id", string="Balance Sheet",
        domain=[("statement_type", "=", "balance")],
    )
    income_line_ids = fields.One2many(
        "guarantee.financial.statement.line", "statement_id", string="Income Statement",
        domain=[("statement_type", "=", "income")],
    )
    cash_flow_line_ids = fields.One2many(
        "guarantee.financial.statement.line", "statement_id", string="Cash-Flow Statement",
        domain=[("statement_type", "=", "cash_flow")],
    )
    ratio_ids = fields.One2many("guarantee.financial.ratio", "statement_id", string="Ratios",
                                readonly=True)
    previous_id = fields.Many2one(
        "guarantee.financial.statement",
        string="Previous Statement",
        compute="_compute_previous_id",
        help="The customer's statement closing the day before this period starts: its "
        "closing balances are this period's opening balances.",
    )
    check_failure_count = fields.Integer(string="Check Failures", compute="_compute_checks")
    check_summary = fields.Text(string="Checks", compute="_compute_checks")
    import_source_id = fields.Many2one(
        "guarantee.financial.import.source", string="Imported With", readonly=True
    )
    report_ids = fields.Many2many(
        "guarantee.due.diligence.report",
        "guarantee_dd_report_statement_rel",
        "statement_id",
        "report_id",
        string="Due-Diligence Reports",
        readonly=True,
    )
    note = fields.Text()

    _sql_constraints = [
        ("period_unique", "unique(partner_id, company_id, kind, date_end)",
         "The customer already has a statement of this kind for this period end."),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("partner_id.name", "date_end", "kind")
    def _compute_name(self):
        for statement in self:
            statement.name = "%s %s%s" % (
                statement.partner_id.name or "",
                statement.date_end or "",
                "" if statement.kind == "annual" else " *",
            )

    @api.depends("kind", "date_end")
    def _compute_date_start(self):
        for statement in self:
            end = statement.date_end
            if end and statement.kind == "annual":
                statement.date_start = end + relativedelta(years=-1, days=1)
            elif end and not statement.date_start:
                statement.date_start = end.replace(month=1, day=1)
            else:
                statement.date_start = statement.date_start

    @api.depends("date_start", "date_end")
    def _compute_period_days(self):
        for statement in self:
            start, end = statement.date_start, statement.date_end
            if not start or not end:
                statement.period_days = financial_ratios.DAYS_IN_YEAR
                continue
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            statement.period_days = 30 * max(months, 1)

    def _compute_previous_id(self):
        predecessors = self._predecessors()
        for statement in self:
            statement.previous_id = predecessors.get(statement.id, False)

    def _compute_checks(self):
        for statement in self:
            messages = statement._check_messages()
            statement.check_failure_count = len(messages)
            statement.check_summary = "\n".join(messages) if messages else _(
                "Every check passed."
            )

    # ------------------------------------------------------------------ constraints

    @api.constrains("date_start", "date_end")
    def _check_period(self):
        for statement in self:
            if statement.date_start and statement.date_start > statement.date_end:
                raise ValidationError(
                    _("The period of %(statement)s ends before it starts.",
                      statement=statement.display_name)
                )

    @api.constrains("audited", "auditor")
    def _check_auditor(self):
        for statement in self:
            if statement.audited and not (statement.auditor or "").strip():
                raise ValidationError(_("An audited statement names its audit firm."))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        statements = super(
            GuaranteeFinancialStatement, self.with_context(guarantee_ratios=DEFER_RATIOS)
        ).create(vals_list)
        statements._add_missing_lines()
        statements = statements.with_env(self.env)
        statements._refresh_ratios()
        return statements

    def write(self, vals):
        result = super(
            GuaranteeFinancialStatement, self.with_context(guarantee_ratios=DEFER_RATIOS)
        ).write(vals)
        if "standard" in vals:
            self.with_context(guarantee_ratios=DEFER_RATIOS)._add_missing_lines()
        if {"standard", "date_end", "date_start", "kind", "partner_id", "line_ids",
                "balance_line_ids", "income_line_ids", "cash_flow_line_ids"} & set(vals):
            self._refresh_ratios()
        return result

    # ------------------------------------------------------------------ actions

    def action_confirm(self):
        """Confirm statements that pass every check: measurements and reports read them, and
        post-loan monitoring compares their ratios with the warning thresholds."""
        self._check_can_confirm()
        self._unlocked().write({"state": "confirmed"})
        self._after_confirm()
        return True

    def action_reset_draft(self):
        locked = self.filtered(lambda s: s.state != "confirmed")
        if locked:
            raise UserError(
                _("Only confirmed statements can be reset to draft; %(statements)s are used by a "
                  "signed-off due-diligence report or are drafts already.",
                  statements=", ".join(locked.mapped("display_name")))
            )
        self._unlocked().write({"state": "draft"})
        return True

    def action_refresh_ratios(self):
        """Recompute the ratios and their flags (after a benchmark changed)."""
        self.check_access("write")
        locked = self.filtered(lambda s: s.state == "locked")
        if locked:
            raise UserError(
                _("%(statements)s are locked: their ratios stay as the signed-off report used "
                  "them.", statements=", ".join(locked.mapped("display_name")))
            )
        self._refresh_ratios()
        return True

    def action_open_import(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.financial.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_id": self.id, "default_partner_id": self.partner_id.id},
        }

    # ------------------------------------------------------------------ checks

    def _check_can_confirm(self):
        problems = []
        for statement in self:
            if statement.state != "draft":
                problems.append(_("%(statement)s is not a draft.",
                                  statement=statement.display_name))
                continue
            values = statement._values()
            if not values.get(financial_ratios.TOTAL_ASSETS):
                problems.append(_("%(statement)s has no balance sheet (资产总计 is empty).",
                                  statement=statement.display_name))
            if not values.get(financial_ratios.REVENUE):
                problems.append(_("%(statement)s has no income statement (营业收入 is empty).",
                                  statement=statement.display_name))
            problems += ["%s: %s" % (statement.display_name, message)
                         for message in statement._check_messages()]
        if problems:
            raise UserError(
                _("The statements cannot be confirmed:\n%s", "\n".join(problems))
            )

    def _check_failures(self):
        """The failures of tools/financial_checks.py for this statement."""
        self.ensure_one()
        previous = self.previous_id
        return financial_checks.check_statement(
            self._values(),
            self.env["guarantee.financial.item"]._catalogue(),
            tolerance=self._tolerance(),
            previous=previous._normalised() if previous else None,
            opening=self._values(column="amount_opening") or None,
            compare_flows=bool(previous) and previous.period_days == self.period_days,
        )

    def _check_messages(self):
        """Each failure as a sentence naming the line and the amounts."""
        self.ensure_one()
        names = self._item_names()
        templates = {
            "balance": _("%(item)s %(amount)s does not equal liabilities plus equity "
                         "%(expected)s (difference %(difference)s)."),
            "subtotal": _("%(item)s %(amount)s does not equal the sum of its lines "
                          "%(expected)s (difference %(difference)s)."),
            "cash_roll": _("%(item)s %(amount)s does not equal the opening cash plus the net "
                           "change, %(expected)s (difference %(difference)s)."),
            "cash_balance": _("%(item)s %(amount)s does not agree with the change of 货币资金 "
                              "on the balance sheet, %(expected)s (difference %(difference)s)."),
            "continuity": _("Opening %(item)s %(amount)s does not equal the previous "
                            "statement's %(expected)s (difference %(difference)s)."),
            "sign": _("%(item)s is negative: %(amount)s."),
        }
        return [
            templates[failure["check"]] % {
                "item": names.get(failure["item"], failure["item"]),
                "amount": _format(failure["amount"]),
                "expected": _format(failure["expected"]),
                "difference": _format(failure["difference"]),
            }
            for failure in self._check_failures()
        ]

    def _tolerance(self):
        """Rounding of the document's unit: 0.01 of it (one fen for statements in yuan)."""
        self.ensure_one()
        return 0.01 * int(self.unit or "1")

    # ------------------------------------------------------------------ figures

    def _values(self, column="amount"):
        """{item code: amount} of the lines with an amount in ``column``."""
        self.ensure_one()
        return {line.item_id.code: line[column] for line in self.line_ids if line[column]}

    def _normalised(self):
        """The amounts with empty subtotals computed from their lines."""
        self.ensure_one()
        return financial_checks.normalise(
            self._values(), self.env["guarantee.financial.item"]._catalogue()
        )

    def _opening_values(self):
        """Opening balances: the statement's own column, else the previous statement's
        closing, else None (turnovers then use the closing balance)."""
        self.ensure_one()
        own = self._values(column="amount_opening")
        if own:
            items = self.env["guarantee.financial.item"]._catalogue()
            return financial_checks.normalise(own, items)
        if self.previous_id:
            return self.previous_id._normalised()
        return None

    def _comparable_previous(self):
        """The previous statement's figures when its period is as long as this one's."""
        self.ensure_one()
        previous = self.previous_id
        if previous and previous.period_days == self.period_days:
            return previous._normalised()
        own = self._values(column="amount_opening")
        return own or None

    def _ratios(self):
        """{ratio code: value or None} of this statement."""
        self.ensure_one()
        return financial_ratios.compute_ratios(
            self._normalised(),
            opening=self._opening_values(),
            previous=self._comparable_previous(),
            period_days=self.period_days,
        )

    def _refresh_ratios(self):
        """Recompute the ratio lines of these statements and of those that follow them (their
        opening balances come from here). Locked statements keep theirs."""
        if self.env.context.get("guarantee_ratios") is DEFER_RATIOS:
            return
        statements = (self | self._successors()).filtered(lambda s: s.state != "locked")
        if statements:
            self.env["guarantee.financial.ratio"].sudo()._rebuild(statements)

    def _item_names(self):
        items = self.env["guarantee.financial.item"].sudo().with_context(active_test=False)
        return {item.code: item.name for item in items.search([])}

    # ------------------------------------------------------------------ neighbours

    def _predecessors(self):
        """{statement id: the customer's statement closing the day before its period}."""
        keys = {(s.partner_id.id, s.company_id.id, s.date_start - relativedelta(days=1))
                for s in self if s.date_start}
        if not keys:
            return {}
        candidates = self.sudo().search([
            ("partner_id", "in", [key[0] for key in keys]),
            ("date_end", "in", [key[2] for key in keys]),
        ], order="kind, id")
        found = {}
        for candidate in candidates:
            found.setdefault((candidate.partner_id.id, candidate.company_id.id,
                              candidate.date_end), candidate)
        result = {}
        for statement in self:
            if statement.date_start:
                key = (statement.partner_id.id, statement.company_id.id,
                       statement.date_start - relativedelta(days=1))
                if key in found:
                    result[statement.id] = found[key].with_env(self.env)
        return result

    def _successors(self):
        """Statements whose period starts the day after one of these closes."""
        if not self:
            return self.browse()
        ends = {(s.partner_id.id, s.date_end) for s in self}
        candidates = self.sudo().search([
            ("partner_id", "in", self.partner_id.ids),
            ("date_start", "in", [s.date_end + relativedelta(days=1) for s in self]),
            ("id", "not in", self.ids),
        ])
        return candidates.filtered(
            lambda s: (s.partner_id.id, s.date_start - relativedelta(days=1)) in ends
        ).with_env(self.env)

    @api.model
    def _latest_confirmed(self, partners, date=None, kind="annual"):
        """{partner id: its latest confirmed or locked statement of ``kind`` ending on or
        before ``date``}, in one search."""
        domain = [("partner_id", "in", partners.ids), ("state", "in", ("confirmed", "locked")),
                  ("kind", "=", kind)]
        if date:
            domain.append(("date_end", "<=", date))
        latest = {}
        for statement in self.sudo().search(domain, order="date_end desc, id desc"):
            latest.setdefault(statement.partner_id.id, statement)
        return latest

    # ------------------------------------------------------------------ lines

    def _add_missing_lines(self):
        """A line for every item of the statement's format, so the form is a grid to fill."""
        items = self.env["guarantee.financial.item"].sudo().search([])
        vals_list = []
        for statement in self:
            present = set(statement.line_ids.item_id.ids)
            for item in items:
                in_format = item.in_small if statement.standard == "small" else item.in_general
                if in_format and item.id not in present:
                    vals_list.append({"statement_id": statement.id, "item_id": item.id})
        if vals_list:
            self.env["guarantee.financial.statement.line"].create(vals_list)

    def _set_amounts(self, closing, opening=None):
        """Write {code: amount} onto the lines (creating lines of items outside the format),
        amounts of other lines left as they are."""
        self.ensure_one()
        opening = opening or {}
        items = {
            item.code: item
            for item in self.env["guarantee.financial.item"].sudo().search(
                [("code", "in", list(set(closing) | set(opening)))]
            )
        }
        lines = {line.item_id.code: line for line in self.line_ids}
        commands = []
        for code, item in items.items():
            values = {}
            if code in closing:
                values["amount"] = closing[code]
            if code in opening:
                values["amount_opening"] = opening[code]
            if code in lines:
                commands.append((1, lines[code].id, values))
            else:
                commands.append((0, 0, dict(values, item_id=item.id)))
        self.write({"line_ids": commands})

    def _after_confirm(self):
        """Hook of post-loan monitoring (warnings, requests for statements)."""


def _format(amount):
    return format_amount(amount)
