from odoo import _, api, fields, models
from odoo.exceptions import UserError


class GuaranteeFinancialStatementLine(models.Model):
    """One item of a statement: its amount at the period end (or for the period) and the
    opening column of the customer's document (年初余额, 上期金额)."""

    _name = "guarantee.financial.statement.line"
    _description = "Financial Statement Line"
    _inherit = ["guarantee.lock.mixin"]
    _order = "statement_id, statement_type, sequence, id"
    _check_company_auto = True

    _lock_state_field = "statement_state"
    _lock_action_fields = ()
    _lock_readonly_states = ("confirmed", "locked")
    _lock_unlink_states = ("draft",)

    statement_id = fields.Many2one(
        "guarantee.financial.statement", string="Financial Statement", required=True,
        ondelete="cascade", index=True,
    )
    statement_state = fields.Selection(related="statement_id.state", string="Statement State")
    partner_id = fields.Many2one(related="statement_id.partner_id", store=True, index=True,
                                 precompute=True)
    company_id = fields.Many2one(related="statement_id.company_id", store=True, index=True,
                                 precompute=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    item_id = fields.Many2one(
        "guarantee.financial.item", string="Item", required=True, ondelete="restrict"
    )
    statement_type = fields.Selection(
        related="item_id.statement", string="Statement Type", store=True, index=True
    )
    sequence = fields.Integer(related="item_id.sequence", store=True)
    is_subtotal = fields.Boolean(related="item_id.is_subtotal")
    label = fields.Char(string="Line", compute="_compute_label")
    amount = fields.Monetary(
        string="Closing / This Period", currency_field="currency_id",
        help="Balance at the period end (balance sheet) or amount of the period.",
    )
    amount_opening = fields.Monetary(
        string="Opening / Prior Period", currency_field="currency_id",
        help="年初余额 of the balance sheet, 上期金额 of the income and cash-flow statements, as "
        "the customer's document gives them.",
    )

    _sql_constraints = [
        ("item_unique", "unique(statement_id, item_id)", "An item appears once in a statement."),
    ]

    @api.depends("item_id", "statement_id.standard")
    def _compute_label(self):
        """The name of the line as the format prints it: subtotals flush left, lines indented,
        其中 lines (details of a line that is not a subtotal) indented twice."""
        for line in self:
            item = line.item_id
            name = (item.small_name if line.statement_id.standard == "small" else "") or item.name
            if item.is_subtotal:
                line.label = name
            elif item.parent_id and not item.parent_id.is_subtotal:
                line.label = "\u3000\u3000" + self.env._("of which: %(name)s", name=name)
            else:
                line.label = "\u3000" + name

    @api.model_create_multi
    def create(self, vals_list):
        statements = self.env["guarantee.financial.statement"].browse(
            {vals["statement_id"] for vals in vals_list if vals.get("statement_id")}
        )
        closed = statements.filtered(lambda s: s.state != "draft")
        if closed and not self._lock_is_unlocked():
            raise UserError(
                _("%(statements)s is confirmed or locked: its lines can no longer change.",
                  statements=", ".join(closed.mapped("display_name")))
            )
        lines = super().create(vals_list)
        lines.statement_id._refresh_ratios()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if {"amount", "amount_opening", "item_id"} & set(vals):
            self.statement_id._refresh_ratios()
        return result
