from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

COMPENSATION_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("paid", "Paid"),
    ("cancelled", "Cancelled"),
]


class GuaranteeCompensation(models.Model):
    """代偿: the creditor bank demands payment in place of the defaulting borrower."""

    _name = "guarantee.compensation"
    _description = "Compensation"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
        "guarantee.entry.mixin",
        "guarantee.project.company.mixin",
        "guarantee.lock.mixin",
        "guarantee.flow.source",
    ]
    _sequence_code = "guarantee.compensation"
    _order = "demand_date desc, id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False

    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_approve": (("draft",), "approved"),
        "_guarantee_on_paid": (("approved",), "paid"),
        "action_cancel": (("draft", "approved"), "cancelled"),
        "action_draft": (("cancelled",), "draft"),
    }
    _lock_action_fields = ("state", "date_paid", "move_id", "payment_order_ids")
    _lock_attachment_fields = ("evidence_ids",)
    _lock_fields_by_state = {
        "approved": (
            "project_id", "demand_date", "principal", "interest", "bank_reference",
            "evidence_ids",
        ),
    }
    _lock_readonly_states = ("paid", "cancelled")
    _lock_unlink_states = ("draft",)

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="restrict", tracking=True,
        check_company=True, domain="[('state', '=', 'active')]",
    )
    currency_id = fields.Many2one(related="project_id.currency_id", store=True, precompute=True)
    partner_id = fields.Many2one(
        related="project_id.partner_id", store=True, string="Borrower", index=True
    )
    creditor_id = fields.Many2one(
        related="project_id.creditor_id", store=True, string="Creditor Bank"
    )
    demand_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    principal = fields.Monetary(required=True, tracking=True, currency_field="currency_id")
    interest = fields.Monetary(tracking=True, currency_field="currency_id")
    total = fields.Monetary(
        compute="_compute_total", store=True, currency_field="currency_id", tracking=True
    )
    bank_reference = fields.Char(string="Bank Demand Reference", tracking=True)
    payee_bank_id = fields.Many2one(
        "res.partner.bank", string="Creditor Account", compute="_compute_payee_bank_id",
        store=True, readonly=False, tracking=True, copy=False,
        domain="[('partner_id.commercial_partner_id', '=', creditor_id)]",
        help="The creditor bank's account the compensation is paid to; its payment order "
        "pays this account and no other.",
    )
    evidence_ids = fields.Many2many(
        "ir.attachment", "guarantee_compensation_attachment_rel", "compensation_id",
        "attachment_id", string="Demand Evidence",
    )
    note = fields.Text()
    state = fields.Selection(
        COMPENSATION_STATES, default="draft", required=True, readonly=True, copy=False,
        tracking=True, index=True,
    )
    payment_order_ids = fields.One2many(
        "guarantee.payment.order", "compensation_id", string="Payment Orders"
    )
    date_paid = fields.Date(readonly=True, copy=False, tracking=True, index=True)

    _sql_constraints = [
        ("principal_positive", "CHECK(principal > 0)", "The principal demanded must be positive."),
        ("interest_positive", "CHECK(interest >= 0)", "The interest demanded cannot be negative."),
    ]

    @api.depends("principal", "interest")
    def _compute_total(self):
        for compensation in self:
            compensation.total = compensation.principal + compensation.interest

    @api.depends("creditor_id")
    def _compute_payee_bank_id(self):
        for compensation in self:
            compensation.payee_bank_id = compensation.creditor_id.commercial_partner_id.bank_ids[:1]

    @api.constrains("payee_bank_id", "project_id")
    def _check_payee_bank(self):
        for compensation in self.filtered("payee_bank_id"):
            if compensation.payee_bank_id.partner_id.commercial_partner_id \
                    != compensation.creditor_id.commercial_partner_id:
                raise ValidationError(_("The account of %(name)s must belong to its creditor "
                                        "%(creditor)s.", name=compensation.display_name,
                                        creditor=compensation.creditor_id.display_name))

    @api.constrains("state", "principal", "interest", "project_id")
    def _check_within_what_is_owed(self):
        """The approved and paid compensations of a project never exceed what the company
        owes on it (docs/design-decisions.md, issue 22)."""
        reasons = self.filtered(lambda c: c.state == "approved").project_id.sudo() \
            ._guarantee_compensation_excess()
        if reasons:
            raise ValidationError("\n".join(reasons))

    @api.constrains("project_id", "state")
    def _check_project_active(self):
        for compensation in self.filtered(lambda c: c.state in ("draft", "approved")):
            if compensation.project_id.state != "active":
                raise ValidationError(
                    _("Only a project in force can be compensated (%(project)s).",
                      project=compensation.project_id.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_amount_vals(dict({"principal": 0.0}, **vals))
        return super().create(vals_list)

    def write(self, vals):
        self._check_amount_vals(vals)
        return super().write(vals)

    @api.model
    def _check_amount_vals(self, vals):
        """Refuse what the database constraints would, with a clear message."""
        if "principal" in vals and (vals["principal"] or 0.0) <= 0:
            raise ValidationError(_("The principal demanded must be positive."))
        if (vals.get("interest") or 0.0) < 0:
            raise ValidationError(_("The interest demanded cannot be negative."))

    def action_approve(self):
        """Approve once every tier is validated; the first call requests the validation."""
        if any(compensation.state != "draft" for compensation in self):
            raise UserError(_("Only a draft compensation can be approved."))
        self.invalidate_recordset(["need_validation"])
        to_request = self.filtered("need_validation")
        if to_request:
            to_request.request_validation()
            self.invalidate_recordset(["need_validation", "validation_status"])
        waiting = self.filtered(lambda c: c.review_ids and c.validation_status != "validated")
        if waiting and not to_request:
            raise UserError(_("%(names)s waits for its approval tiers.",
                              names=", ".join(waiting.mapped("name"))))
        (self - waiting)._unlocked().write({"state": "approved"})
        return True

    def _guarantee_payment_blockers(self):
        """Why paying this compensation now could not be booked (reasons): checked before
        the transfer leaves, so that the bank's "done" is always recorded."""
        self.ensure_one()
        reasons = []
        if self.state != "approved":
            reasons.append(_("the compensation is not approved"))
        if self.project_id.state not in ("active", "compensated"):
            reasons.append(_("the project %(project)s is not in force",
                             project=self.project_id.display_name))
        missing = self.company_id._guarantee_accounting_missing()
        if missing:
            reasons.append(_("the guarantee accounting settings are incomplete: %(missing)s",
                             missing=", ".join(missing)))
        return reasons + self.project_id._guarantee_compensation_excess()

    def action_cancel(self):
        if any(c.state == "paid" for c in self):
            raise UserError(_("A paid compensation cannot be cancelled."))
        if self.payment_order_ids.filtered(lambda o: o.state not in ("draft", "failed")):
            raise UserError(_("A compensation whose payment order went to the bank cannot be "
                              "cancelled."))
        self.payment_order_ids.filtered(lambda o: o.state == "draft").sudo().unlink()
        self._unlocked().write({"state": "cancelled"})
        return True

    def action_draft(self):
        if any(c.state != "cancelled" for c in self):
            raise UserError(_("Only a cancelled compensation can be reset to draft."))
        self._unlocked().write({"state": "draft"})
        return True

    def action_create_payment_order(self):
        """The transfer to the creditor bank, through the company's bank connector if any.

        Refused while another order of this compensation is live: an order is resolved with
        the bank (same request id), and replaced only after the bank's definite failure."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(_("The compensation must be approved before paying the bank."))
        company = self.company_id
        connector = self.env["guarantee.bank.connector"].search(
            [("company_id", "=", company.id),
             ("journal_id", "=", company.guarantee_bank_journal_id.id)], limit=1,
        )
        order = self.env["guarantee.payment.order"].create({
            "project_id": self.project_id.id,
            "compensation_id": self.id,
            "partner_id": self.creditor_id.id,
            "partner_bank_id": self.payee_bank_id.id,
            "amount": self.total,
            "connector_id": connector.id,
            "reference": self.bank_reference or self.name,
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.payment.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def _guarantee_on_paid(self, date):
        """The transfer is done: Dr compensation receivable, Cr bank; the project becomes
        compensated."""
        for compensation in self:
            if compensation.state != "approved":
                raise UserError(_("Only an approved compensation can be paid (%(name)s).",
                                  name=compensation.name))
            company = compensation.company_id
            compensation._guarantee_post_move(
                company.guarantee_misc_journal_id,
                date,
                _("Compensation %(name)s %(project)s", name=compensation.name,
                  project=compensation.project_id.name),
                [
                    (company.guarantee_compensation_account_id, compensation.total, 0.0,
                     compensation.partner_id),
                    (company.guarantee_bank_clearing_account_id, 0.0, compensation.total,
                     compensation.creditor_id),
                ],
                project=compensation.project_id,
            )
            compensation._unlocked().write({"state": "paid", "date_paid": date})
            # a second compensation of a project compensated already books its entry only
            if compensation.project_id.state == "active":
                compensation.project_id.sudo()._transition("compensate")
