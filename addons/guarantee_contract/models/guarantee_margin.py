from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

MARGIN_KINDS = [
    ("receipt", "Receipt"),
    ("refund", "Refund"),
    ("offset", "Offset against Compensation"),
]
MARGIN_STATES = [("draft", "Draft"), ("done", "Done"), ("cancelled", "Cancelled")]


class GuaranteeMargin(models.Model):
    """保证金: one receipt, refund or offset of the margin deposit of a project."""

    _name = "guarantee.margin"
    _description = "Margin Deposit Movement"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "guarantee.project.company.mixin",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.margin"
    _order = "date desc, id desc"
    _check_company_auto = True

    # Once done, a movement is the basis of an accounting entry: it is reversed by
    # cancelling it, never edited; a cancelled one is kept as history.
    _lock_readonly_states = ("done", "cancelled")
    _lock_unlink_states = ("draft",)
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_done": (("draft",), "done"),
        "action_cancel": (("draft", "done"), "cancelled"),
        "action_draft": (("cancelled",), "draft"),
    }

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    project_id = fields.Many2one(
        "guarantee.project",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    currency_id = fields.Many2one(
        related="project_id.currency_id", store=True, precompute=True
    )
    partner_id = fields.Many2one(related="project_id.partner_id", store=True, string="Customer")
    kind = fields.Selection(MARGIN_KINDS, required=True, default="receipt", tracking=True)
    amount = fields.Monetary(required=True, tracking=True, currency_field="currency_id")
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    state = fields.Selection(
        MARGIN_STATES, default="draft", required=True, readonly=True, copy=False,
        tracking=True, index=True,
    )
    reference = fields.Char(help="Bank transaction or voucher reference.")
    note = fields.Text()

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A margin movement must have a positive amount."),
    ]

    @api.constrains("amount")
    def _check_amount(self):
        for margin in self:
            if margin.currency_id.compare_amounts(margin.amount, 0.0) <= 0:
                raise ValidationError(_("A margin movement must have a positive amount."))

    @api.model
    def _check_amount_vals(self, vals):
        """Refuse a non-positive amount before the database constraint does, with a clear
        message."""
        if "amount" in vals and (vals["amount"] or 0.0) <= 0:
            raise ValidationError(_("A margin movement must have a positive amount."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_amount_vals(dict(vals, amount=vals.get("amount", 0.0)))
            if vals.get("state", "draft") != "draft":
                raise UserError(_("A margin movement is created as a draft and then confirmed."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_amount_vals(vals)
        return super().write(vals)

    def action_done(self):
        """Confirm the movements; refunds and offsets never take the balance below zero."""
        for margin in self.sorted(lambda m: (m.date, m.id)):
            if margin.state != "draft":
                raise UserError(
                    _("Only draft margin movements can be confirmed (%(name)s).", name=margin.name)
                )
            margin._check_balance_allows()
            margin._unlocked().state = "done"
            margin._on_done()
        return True

    def action_cancel(self, reason=None):
        for margin in self:
            if margin.state == "cancelled":
                continue
            if margin.state == "done" and margin.kind == "receipt":
                balance = margin.project_id.margin_balance
                if margin.currency_id.compare_amounts(margin.amount, balance) > 0:
                    raise UserError(
                        _(
                            "Cancelling %(name)s would take the margin balance of %(project)s "
                            "below zero.",
                            name=margin.name,
                            project=margin.project_id.display_name,
                        )
                    )
            margin._unlocked().state = "cancelled"
            margin._on_cancel(reason)
        return True

    def action_draft(self):
        if any(margin.state != "cancelled" for margin in self):
            raise UserError(_("Only cancelled margin movements can be reset to draft."))
        self._unlocked().state = "draft"
        return True

    def _on_done(self):
        """Hook run after a movement is confirmed (the accounting addon posts its entry)."""
        return True

    def _on_cancel(self, reason=None):
        """Hook run after a movement is cancelled (the accounting addon reverses its entry)."""
        return True

    def _check_balance_allows(self):
        self.ensure_one()
        if self.kind == "receipt":
            return
        balance = self.project_id.margin_balance
        if self.currency_id.compare_amounts(self.amount, balance) > 0:
            raise UserError(
                _(
                    "The %(kind)s of %(amount)s exceeds the margin balance of %(balance)s "
                    "of %(project)s.",
                    kind=dict(self._fields["kind"]._description_selection(self.env))[self.kind],
                    amount=format_amount(self.env, self.amount, self.currency_id),
                    balance=format_amount(self.env, balance, self.currency_id),
                    project=self.project_id.display_name,
                )
            )
