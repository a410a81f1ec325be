from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

RECOVERY_KINDS = [
    ("cash", "Cash Repayment"),
    ("collateral_disposal", "Collateral Disposal"),
    ("guarantor_payment", "Guarantor Payment"),
    ("margin_offset", "Margin Offset"),
    ("litigation", "Litigation Enforcement"),
]


class GuaranteeRecovery(models.Model):
    """追偿: money recovered from the borrower, guarantors or collateral after compensation."""

    _name = "guarantee.recovery"
    _description = "Recovery"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "guarantee.entry.mixin",
        "guarantee.project.company.mixin",
        "guarantee.lock.mixin",
        "guarantee.flow.source",
    ]
    _sequence_code = "guarantee.recovery"
    _order = "date desc, id desc"
    _check_company_auto = True

    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_post": (("draft",), "posted"),
        "action_cancel": (("draft", "posted"), "cancelled"),
    }
    _lock_action_fields = ("state", "move_id", "margin_id")
    _lock_readonly_states = ("posted", "cancelled")
    _lock_unlink_states = ("draft",)

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="restrict", tracking=True,
        check_company=True, domain="[('state', '=', 'compensated')]",
    )
    currency_id = fields.Many2one(related="project_id.currency_id", store=True, precompute=True)
    kind = fields.Selection(RECOVERY_KINDS, required=True, default="cash", tracking=True)
    amount = fields.Monetary(required=True, tracking=True, currency_field="currency_id")
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    payer_id = fields.Many2one(
        "res.partner", string="Paid By", help="Borrower, guarantor or buyer of the collateral."
    )
    collateral_id = fields.Many2one(
        "guarantee.collateral", string="Collateral Disposed",
        domain="[('project_id', '=', project_id)]",
    )
    margin_id = fields.Many2one(
        "guarantee.margin", string="Margin Offset", readonly=True, copy=False
    )
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="draft", required=True,
        readonly=True, copy=False, tracking=True, index=True,
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A recovery must have a positive amount."),
    ]

    @api.constrains("kind", "collateral_id")
    def _check_collateral(self):
        for recovery in self:
            if recovery.kind == "collateral_disposal" and not recovery.collateral_id:
                raise ValidationError(_("Select the collateral that was disposed of."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_amount_vals(dict({"amount": 0.0}, **vals))
        return super().create(vals_list)

    def write(self, vals):
        self._check_amount_vals(vals)
        return super().write(vals)

    @api.model
    def _check_amount_vals(self, vals):
        """Refuse what the database constraint would, with a clear message."""
        if "amount" in vals and (vals["amount"] or 0.0) <= 0:
            raise ValidationError(_("A recovery must have a positive amount."))

    def action_post(self):
        """Dr bank (Dr margin payable for an offset), Cr compensation receivable."""
        for recovery in self:
            recovery._check_can_post()
            company = recovery.company_id
            borrower = recovery.project_id.partner_id
            debit_account = (
                company.guarantee_margin_account_id
                if recovery.kind == "margin_offset"
                else company.guarantee_bank_clearing_account_id
            )
            recovery._guarantee_post_move(
                company.guarantee_misc_journal_id,
                recovery.date,
                _("Recovery %(name)s %(project)s", name=recovery.name,
                  project=recovery.project_id.name),
                [(debit_account, recovery.amount, 0.0, recovery.payer_id or borrower)]
                + recovery._guarantee_credit_lines(),
                project=recovery.project_id,
            )
            recovery._unlocked().state = "posted"
            if recovery.margin_id:
                recovery.margin_id.sudo()._unlocked().move_id = recovery.move_id
            elif recovery.kind == "margin_offset":
                recovery._guarantee_offset_margin()
        return True

    def action_cancel(self, reason=None):
        """Cancel a recovery: its entry is reversed with the reason; the margin movement of
        an offset, which shares the entry, is cancelled with it."""
        action = self.filtered("move_id")._guarantee_cancel_action(reason)
        if action:
            return action
        for recovery in self:
            if recovery.state == "cancelled":
                raise UserError(_("%(name)s is already cancelled.", name=recovery.name))
            if recovery.project_id.state != "compensated":
                raise UserError(_("%(project)s is no longer compensated; its records are final.",
                                  project=recovery.project_id.display_name))
            recovery._guarantee_reverse_move(reason)
            recovery._unlocked().state = "cancelled"
            if recovery.margin_id.state == "done":
                recovery.margin_id.sudo()._unlocked().state = "cancelled"
        return True

    def _check_can_post(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("%(name)s is already posted.", name=self.name))
        if self.project_id.state != "compensated":
            raise UserError(_("Recoveries are recorded on a compensated project (%(project)s).",
                              project=self.project_id.display_name))
        open_amount = self._guarantee_recoverable_amount()
        if self.currency_id.compare_amounts(self.amount, open_amount) > 0:
            raise UserError(
                _("The recovery of %(amount)s exceeds the compensation receivable of "
                  "%(open)s.", amount=self.amount, open=open_amount)
            )

    def _guarantee_credit_lines(self):
        """The credit side of the recovery's entry: the compensation receivable (extended
        where part of the recovery belongs to others)."""
        self.ensure_one()
        return [(self.company_id.guarantee_compensation_account_id, 0.0, self.amount,
                 self.project_id.partner_id)]

    def _guarantee_recoverable_amount(self):
        """The most this recovery may be: what is still owed on the compensation."""
        self.ensure_one()
        return self.project_id.compensation_receivable

    def _guarantee_offset_margin(self):
        """The margin movement of an offset recorded here; it shares this entry."""
        margin = self.env["guarantee.margin"].create({
            "project_id": self.project_id.id,
            "kind": "offset",
            "amount": self.amount,
            "date": self.date,
            "reference": self.name,
            "recovery_id": self.id,
        })
        margin.sudo()._unlocked().move_id = self.move_id
        margin.action_done()
        self._unlocked().margin_id = margin
