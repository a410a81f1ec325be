from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

FEE_STATES = [("due", "Due"), ("paid", "Paid"), ("cancelled", "Cancelled")]


class GuaranteeFee(models.Model):
    """担保费: one line of a project's fee schedule, with its due date and payment."""

    _name = "guarantee.fee"
    _description = "Guarantee Fee Line"
    _inherit = ["mail.thread", "guarantee.lock.mixin"]
    _order = "project_id, sequence, date_due, id"
    _check_company_auto = True

    _lock_initial_state = "due"
    _lock_transitions = {
        "action_mark_paid": (("due",), "paid"),
        "action_cancel": (("due",), "cancelled"),
        "action_reset_due": (("cancelled",), "due"),
    }
    _lock_action_fields = ("state", "date_paid", "amount_paid")
    _lock_readonly_states = ("paid",)
    _lock_unlink_states = ("due", "cancelled")

    project_id = fields.Many2one(
        "guarantee.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="project_id.currency_id", store=True, precompute=True
    )
    partner_id = fields.Many2one(related="project_id.partner_id", store=True, string="Customer")
    sequence = fields.Integer(default=1)
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True)
    date_due = fields.Date(string="Due Date", required=True, index=True, tracking=True)
    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    is_upfront = fields.Boolean(
        string="Due Before Contracting",
        help="Collected before the contracts take effect: the project cannot be contracted "
        "while it is unpaid.",
    )
    state = fields.Selection(
        FEE_STATES, default="due", required=True, readonly=True, copy=False,
        tracking=True, index=True,
    )
    date_paid = fields.Date(readonly=True, copy=False, tracking=True)
    amount_paid = fields.Monetary(readonly=True, copy=False, currency_field="currency_id")
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    _sql_constraints = [
        ("amount_not_negative", "CHECK(amount >= 0)", "A fee cannot be negative."),
        (
            "period_order",
            "CHECK(date_to >= date_from)",
            "A fee period cannot end before it starts.",
        ),
    ]

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for fee in self:
            fee.is_overdue = fee.state == "due" and fee.date_due < today

    @api.depends("project_id", "sequence", "date_due")
    def _compute_display_name(self):
        for fee in self:
            fee.display_name = _(
                "%(project)s fee %(sequence)s (due %(date)s)",
                project=fee.project_id.name or "",
                sequence=fee.sequence,
                date=fee.date_due or "",
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue fees."))
        domain = [("state", "=", "due"), ("date_due", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.constrains("amount", "date_from", "date_to")
    def _check_amount_period(self):
        for fee in self:
            if fee.amount < 0:
                raise ValidationError(_("A fee cannot be negative."))
            if fee.date_to < fee.date_from:
                raise ValidationError(_("A fee period cannot end before it starts."))

    def action_mark_paid(self, date=None):
        """Record the full payment of the lines (the accounting addon pays them by invoice)."""
        for fee in self:
            if fee.state != "due":
                raise UserError(
                    _("Only a due fee can be marked as paid (%(fee)s).", fee=fee.display_name)
                )
        self._unlocked().write(
            {"state": "paid", "date_paid": date or fields.Date.context_today(self)}
        )
        for fee in self:
            fee._unlocked().amount_paid = fee.amount
        return True

    def action_cancel(self, reason=None):
        if any(fee.state == "paid" for fee in self):
            raise UserError(_("A paid fee cannot be cancelled."))
        self._unlocked().write({"state": "cancelled"})
        self._on_cancel(reason)
        return True

    def action_reset_due(self):
        if any(fee.state != "cancelled" for fee in self):
            raise UserError(_("Only cancelled fees can be set back to due."))
        self._unlocked().write({"state": "due"})
        return True

    def _discard_if_unbooked(self):
        """Delete the lines nothing was booked on (the accounting addon keeps invoiced ones)."""
        self.unlink()

    def _on_cancel(self, reason=None):
        """Hook run after fees are cancelled (the accounting addon credits their invoices)."""
        return True
