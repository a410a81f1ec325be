from odoo import _, fields, models
from odoo.exceptions import UserError

EVIDENCE_KINDS = [
    ("court_judgment", "Court Judgment"),
    ("enforcement_ruling", "Enforcement Termination Ruling"),
    ("bankruptcy", "Bankruptcy Liquidation Ruling"),
]


class GuaranteeLoss(models.Model):
    """核销: compensation receivable written off against the compensation reserve."""

    _name = "guarantee.loss"
    _description = "Loss Write-off"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "guarantee.entry.mixin",
        "guarantee.project.company.mixin",
        "guarantee.lock.mixin",
        "guarantee.flow.source",
    ]
    _sequence_code = "guarantee.loss"
    _order = "date desc, id desc"
    _check_company_auto = True

    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_post": (("draft",), "posted"),
        "action_cancel": (("draft", "posted"), "cancelled"),
    }
    _lock_action_fields = ("state", "move_id")
    _lock_attachment_fields = ("evidence_ids",)
    _lock_readonly_states = ("posted", "cancelled")
    _lock_unlink_states = ("draft",)

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="restrict", tracking=True,
        check_company=True, domain="[('state', '=', 'compensated')]",
    )
    currency_id = fields.Many2one(related="project_id.currency_id", store=True, precompute=True)
    amount = fields.Monetary(required=True, tracking=True, currency_field="currency_id")
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    reason = fields.Text(required=True)
    evidence_kind = fields.Selection(EVIDENCE_KINDS, required=True, default="court_judgment")
    evidence_ids = fields.Many2many(
        "ir.attachment", "guarantee_loss_attachment_rel", "loss_id", "attachment_id",
        string="Evidence", help="The court judgment or enforcement ruling; required to post.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="draft", required=True,
        readonly=True, copy=False, tracking=True, index=True,
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A loss must have a positive amount."),
    ]

    def action_post(self):
        """Dr compensation reserve (as far as it goes, the rest Dr reserve expense), Cr
        compensation receivable; the evidence is attached to the entry too."""
        for loss in self:
            loss._check_can_post()
            company = loss.company_id
            borrower = loss.project_id.partner_id
            from_reserve, to_expense = loss._reserve_split()
            lines = [
                (company.guarantee_compensation_reserve_account_id, from_reserve, 0.0, borrower),
                (company.guarantee_reserve_expense_account_id, to_expense, 0.0, borrower),
                (company.guarantee_compensation_account_id, 0.0, loss.amount, borrower),
            ]
            move = loss._guarantee_post_move(
                company.guarantee_misc_journal_id,
                loss.date,
                _("Loss write-off %(name)s %(project)s", name=loss.name,
                  project=loss.project_id.name),
                [line for line in lines if not company.currency_id.is_zero(line[1] + line[2])],
                project=loss.project_id,
            )
            for attachment in loss.evidence_ids:
                attachment.sudo().copy({"res_model": "account.move", "res_id": move.id})
            loss._unlocked().state = "posted"
        return True

    def action_cancel(self, reason=None):
        """Cancel a write-off: its entry is reversed with the reason, and the compensation
        receivable is open again."""
        action = self.filtered("move_id")._guarantee_cancel_action(reason)
        if action:
            return action
        for loss in self:
            if loss.state == "cancelled":
                raise UserError(_("%(name)s is already cancelled.", name=loss.name))
            if loss.project_id.state != "compensated":
                raise UserError(_("%(project)s is no longer compensated; its records are final.",
                                  project=loss.project_id.display_name))
            loss._guarantee_reverse_move(reason)
            loss._unlocked().state = "cancelled"
        return True

    def _reserve_split(self):
        """(charged to the compensation reserve, charged to expense): the reserve available
        on the loss date absorbs the loss; what it cannot absorb is an expense."""
        self.ensure_one()
        available = max(self.env["guarantee.reserve.provision"]._account_balance(
            self.company_id, self.company_id.guarantee_compensation_reserve_account_id, None,
            self.date,
        ), 0.0)
        from_reserve = min(self.amount, available)
        return from_reserve, self.currency_id.round(self.amount - from_reserve)

    def _check_can_post(self):
        self.ensure_one()
        reasons = []
        if self.state != "draft":
            reasons.append(_("It is already posted."))
        if self.project_id.state != "compensated":
            reasons.append(_("The project is not compensated."))
        if not self.evidence_ids:
            reasons.append(_("The court judgment or enforcement ruling must be attached."))
        open_amount = self.project_id.compensation_receivable
        if self.currency_id.compare_amounts(self.amount, open_amount) > 0:
            reasons.append(_("The loss of %(amount)s exceeds the compensation receivable of "
                             "%(open)s.", amount=self.amount, open=open_amount))
        if reasons:
            raise UserError(_("%(name)s cannot be written off:\n - %(reasons)s",
                              name=self.name, reasons="\n - ".join(reasons)))
