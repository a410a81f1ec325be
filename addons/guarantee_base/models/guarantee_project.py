from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.guarantee_platform.tools.money import rmb_in_words

from ..tools.bulk import create_unaudited

PROJECT_STATES = [
    ("draft", "Pending Intake"),
    ("accepted", "Accepted"),
    ("investigating", "Due Diligence"),
    ("reviewing", "Under Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("contracted", "Contracted"),
    ("active", "In Force"),
    ("released", "Released"),
    ("compensated", "Compensated"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]

RISK_CLASSES = [
    ("normal", "Normal"),
    ("special", "Special Mention"),
    ("substandard", "Substandard"),
    ("doubtful", "Doubtful"),
    ("loss", "Loss"),
]
NON_PERFORMING_CLASSES = ("substandard", "doubtful", "loss")

ISSUER_RATINGS = [
    (r, r)
    for r in (
        "AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-",
        "BB+", "BB", "BB-", "B+", "B", "B-", "CCC", "CC", "C",
    )
]

# What the committee reviews: frozen from the review on (a new application changes them).
_REVIEWED_TERMS = (
    "partner_id", "creditor_id", "product_id", "amount", "currency_id", "own_share",
    "fee_rate", "margin_rate", "issuer_rating", "company_id",
)
# The dates of the guarantee: frozen once the loan is released (an extension moves the end).
_DATES = ("term_months", "date_start", "date_end")
# The loan as the bank released it: entered while contracted, then set by the activation.
_LOAN = ("loan_release_date", "loan_amount_released")
_AFTER_ACTIVATION = ("active", "released", "compensated", "closed")
# Who answers for a project with money at stake changes only by _reassign (who and why).
_ROLES = ("manager_id", "assistant_id")
_MONEY_AT_STAKE = ("active", "compensated")
# Who may record that the bank released the loan (the wizard: finance; the form: managers).
_ACTIVATE_GROUPS = (
    "guarantee_base.group_guarantee_project_manager",
    "guarantee_base.group_guarantee_finance",
    "guarantee_base.group_guarantee_executive",
)
_PROJECT_LOCKS = {
    state: set(_REVIEWED_TERMS)
    | (set(_DATES) if state in _AFTER_ACTIVATION else set())
    | (set(_LOAN) if state != "contracted" else set())
    | (set(_ROLES) if state in _MONEY_AT_STAKE else set())
    for state in ("reviewing", "approved", "rejected", "contracted", "cancelled")
    + _AFTER_ACTIVATION
}


# The state and balance of each project on a past day, from its history: the state is that of
# the last event on or before the day, the events being its state-log entries (UTC timestamps)
# and, at the start of their days, the loan release (in force from loan_release_date, however
# late the activation was recorded: a ledger import records it on the day of the import) and
# the release of the guarantee (date_released). The principal repaid by that day is the sum of
# the dated repayments up to it plus the part of principal_repaid that no dated repayment
# explains (imported or older than the repayment records), which counts from the loan release,
# so that such a project reads its current outstanding over its whole life. Own share is
# today's (it is not versioned). Balance = outstanding × own share while active, else 0.
BALANCE_ON = """
    WITH events AS (
        SELECT log.project_id, log.state, log.date AS at, log.id AS seq
          FROM guarantee_project_state_log log
          JOIN guarantee_project project ON project.id = log.project_id
         WHERE log.date < %(day_after)s AND {where}
     UNION ALL
        SELECT project.id, 'active', project.loan_release_date::timestamp, 0
          FROM guarantee_project project
         WHERE project.loan_release_date <= %(date)s AND project.loan_amount_released > 0
           AND {where}
     UNION ALL
        SELECT project.id, 'released', project.date_released::timestamp, 0
          FROM guarantee_project project
         WHERE project.date_released <= %(date)s AND {where}
    ), state_on AS (
        SELECT DISTINCT ON (project_id) project_id, state
          FROM events
      ORDER BY project_id, at DESC, seq DESC
    ), repaid AS (
        SELECT repayment.project_id,
               COALESCE(SUM(repayment.amount) FILTER (WHERE repayment.date <= %(date)s), 0)
               AS by_date,
               SUM(repayment.amount) AS recorded
          FROM guarantee_project_repayment repayment
         WHERE repayment.project_id IN (SELECT project_id FROM state_on)
      GROUP BY repayment.project_id
    )
    SELECT project.id, state_on.state,
           CASE WHEN state_on.state = 'active' THEN ROUND(
               GREATEST(COALESCE(project.loan_amount_released, 0)
                        - COALESCE(repaid.by_date, 0)
                        - GREATEST(COALESCE(project.principal_repaid, 0)
                                   - COALESCE(repaid.recorded, 0), 0), 0)
               * project.own_share / 100.0, 2)
           ELSE 0 END
      FROM state_on
      JOIN guarantee_project project ON project.id = state_on.project_id
 LEFT JOIN repaid ON repaid.project_id = project.id
"""


class GuaranteeProject(models.Model):
    """担保项目: one guarantee from application to release or compensation and closing."""

    _name = "guarantee.project"
    _description = "Guarantee Project"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.project"
    _order = "id desc"
    _check_company_auto = True
    # Staff look a project up by its number or by the customer's name or USCC.
    _rec_names_search = ["name", "partner_id.name", "partner_id.uscc"]

    _lock_action_fields = (
        "state", "date_state", "risk_class", "principal_repaid", "date_released",
        "cancel_reason", "reject_reason", "is_imported",
    )
    _lock_fields_by_state = _PROJECT_LOCKS
    _lock_initial_state = "draft"
    # The project's state machine, declared once: {step: (states it leaves, state it enters)}.
    # _check_can refuses a step from another state with the lifecycle's own message and its
    # gates; the mixin refuses every state write of a step (_do_transition, whoever calls it)
    # that is not an edge of this graph. Released, closed and cancelled are final. Only the
    # ledger import (_unlocked(history=True)) sets a state outside the graph.
    _lock_transitions = {
        "accept": (("draft",), "accepted"),
        "start_investigation": (("accepted",), "investigating"),
        "submit_review": (("investigating",), "reviewing"),
        "approve": (("reviewing",), "approved"),
        "reject": (("reviewing",), "rejected"),
        "contract": (("approved",), "contracted"),
        "activate": (("contracted",), "active"),
        "release": (("active",), "released"),
        "compensate": (("active",), "compensated"),
        "close": (("compensated",), "closed"),
        "cancel": (
            (
                "draft", "accepted", "investigating", "reviewing", "approved", "rejected",
                "contracted",
            ),
            "cancelled",
        ),
    }
    _lock_unlink_states = ("draft", "cancelled")
    # Archived projects leave the snapshot, the reports and the reserve base: only those
    # without a balance, a commitment or an open compensation.
    _lock_archive_states = (
        "draft", "accepted", "investigating", "rejected", "released", "closed", "cancelled",
    )

    _state_from = ["reviewing"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    state = fields.Selection(
        PROJECT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_expand_states",
    )
    date_state = fields.Datetime(
        string="In State Since", readonly=True, copy=False, default=fields.Datetime.now
    )
    state_log_ids = fields.One2many(
        "guarantee.project.state.log", "project_id", string="State History", readonly=True
    )
    active = fields.Boolean(default=True)

    # Parties
    partner_id = fields.Many2one(
        "res.partner",
        string="Applicant",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_guarantee_customer', '=', True)]",
        check_company=True,
    )
    partner_uscc = fields.Char(related="partner_id.uscc", string="USCC / ID Number")
    enterprise_scale = fields.Selection(
        related="partner_id.enterprise_scale", store=True, index=True
    )
    industry_id = fields.Many2one(
        related="partner_id.industry_id", store=True, index=True, string="Industry"
    )
    region_id = fields.Many2one(
        "res.country.state",
        related="partner_id.state_id",
        store=True,
        index=True,
        string="Province",
    )
    city_id = fields.Many2one(related="partner_id.city_id", store=True, string="City")
    creditor_id = fields.Many2one(
        "res.partner",
        string="Creditor (Bank)",
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        check_company=True,
    )
    manager_id = fields.Many2one(
        "res.users",
        string="A-Role (Lead Manager)",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    assistant_id = fields.Many2one(
        "res.users",
        string="B-Role (Assistant Manager)",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    user_id = fields.Many2one(related="manager_id", string="Responsible")
    party_ids = fields.Many2many(
        "res.partner", "guarantee_project_party_rel", "project_id", "partner_id",
        string="Other Parties", readonly=True, copy=False,
        help="Guarantors and owners of counter-guarantees (kept by the counter-guarantees): "
        "the project's managers read them.",
    )

    # Terms
    product_id = fields.Many2one(
        "guarantee.product", required=True, index=True, tracking=True, check_company=True
    )
    business_type = fields.Selection(related="product_id.business_type", store=True, index=True)
    amount = fields.Monetary(
        string="Guaranteed Amount", required=True, tracking=True, currency_field="currency_id"
    )
    amount_in_words = fields.Char(compute="_compute_amount_in_words", string="Amount in Words")
    term_months = fields.Integer(string="Term (months)", required=True, default=12, tracking=True)
    date_start = fields.Date(string="Start Date", tracking=True, index=True)
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
    )
    fee_rate = fields.Float(
        string="Fee Rate (%/year)",
        digits=(16, 4),
        compute="_compute_rates",
        store=True,
        readonly=False,
        tracking=True,
    )
    margin_rate = fields.Float(
        string="Margin Rate (%)",
        digits=(16, 2),
        compute="_compute_rates",
        store=True,
        readonly=False,
        tracking=True,
    )
    own_share = fields.Float(
        string="Own Share (%)",
        default=100.0,
        digits=(16, 2),
        tracking=True,
        help="Share of the risk the company keeps after sharing with the bank or a "
        "re-guarantor.",
    )
    issuer_rating = fields.Selection(
        ISSUER_RATINGS, tracking=True, help="Credit rating of the bond issuer."
    )
    purpose = fields.Text(string="Loan Purpose")
    investigation_summary = fields.Html(
        string="Due-Diligence Conclusion",
        help="The A-role's conclusion from due diligence, required to submit for review.",
    )
    cancel_reason = fields.Text(readonly=True, copy=False, tracking=True)
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)

    # Loan and exposure
    loan_release_date = fields.Date(string="Loan Release Date", copy=False, tracking=True)
    loan_amount_released = fields.Monetary(
        string="Loan Released", copy=False, tracking=True, currency_field="currency_id"
    )
    principal_repaid = fields.Monetary(
        string="Principal Repaid", copy=False, tracking=True, currency_field="currency_id"
    )
    repayment_ids = fields.One2many(
        "guarantee.project.repayment", "project_id", string="Repayments", readonly=True
    )
    outstanding_principal = fields.Monetary(
        compute="_compute_balance", store=True, currency_field="currency_id"
    )
    balance = fields.Monetary(
        string="Balance in Force",
        compute="_compute_balance",
        store=True,
        index=True,
        currency_field="currency_id",
        help="在保余额: outstanding guaranteed principal × own share, for projects in force; "
        "0 in any other state.",
    )
    date_released = fields.Date(string="Release Date", readonly=True, copy=False, tracking=True)
    risk_class = fields.Selection(
        RISK_CLASSES, default="normal", required=True, index=True, tracking=True, copy=False
    )
    is_non_performing = fields.Boolean(compute="_compute_is_non_performing", store=True)

    # Ledger import (台账导入): history that went through no approval in this system.
    legacy_ref = fields.Char(
        string="Ledger Reference",
        index=True,
        copy=False,
        tracking=True,
        help="The project's own reference in the ledger it was imported from; a re-import "
        "updates the project with this reference instead of creating another.",
    )
    is_imported = fields.Boolean(
        string="Imported",
        readonly=True,
        copy=False,
        index=True,
        help="Created by a ledger import in the state the ledger gave, without going through "
        "the approvals of this system.",
    )

    # What stops the next step, shown on the form before anyone presses a button.
    next_step_blockers = fields.Text(compute="_compute_next_step_blockers")

    _sql_constraints = [
        ("name_company_unique", "unique(name, company_id)", "The project number must be unique."),
        (
            "legacy_ref_company_unique",
            "unique(legacy_ref, company_id)",
            "The ledger reference must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    def _expand_states(self, states, domain):
        return [key for key, _label in PROJECT_STATES]

    @api.depends("company_id")
    def _compute_currency_id(self):
        for project in self:
            project.currency_id = project.company_id.currency_id or self.env.company.currency_id

    @api.depends("amount", "currency_id")
    def _compute_amount_in_words(self):
        for project in self:
            project.amount_in_words = (
                rmb_in_words(project.amount)
                if project.currency_id.name == "CNY"
                else project.currency_id.amount_to_text(project.amount)
            )

    @api.depends("date_start", "term_months")
    def _compute_date_end(self):
        for project in self:
            if project.date_start and project.term_months > 0:
                project.date_end = project.date_start + relativedelta(
                    months=project.term_months, days=-1
                )

    @api.depends("product_id")
    def _compute_rates(self):
        for project in self:
            project.fee_rate = project.product_id.default_fee_rate
            project.margin_rate = project.product_id.default_margin_rate

    @api.depends("state", "loan_amount_released", "principal_repaid", "own_share")
    def _compute_balance(self):
        for project in self:
            outstanding = max(project.loan_amount_released - project.principal_repaid, 0.0)
            project.outstanding_principal = outstanding if project.state == "active" else 0.0
            project.balance = (
                project.currency_id.round(outstanding * project.own_share / 100.0)
                if project.state == "active"
                else 0.0
            )

    @api.depends("risk_class")
    def _compute_is_non_performing(self):
        for project in self:
            project.is_non_performing = project.risk_class in NON_PERFORMING_CLASSES

    @api.depends("state")
    def _compute_next_step_blockers(self):
        for project in self:
            step = project._next_step()
            blockers = project._transition_blockers(step) if step else []
            project.next_step_blockers = "\n".join(blockers) or False

    # ------------------------------------------------------------------ constraints

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for project in self:
            if project.date_start and project.date_end and project.date_end < project.date_start:
                raise ValidationError(
                    _(
                        "The end date %(end)s of %(project)s is before its start date %(start)s.",
                        end=project.date_end,
                        start=project.date_start,
                        project=project.name,
                    )
                )

    @api.constrains("amount", "term_months", "fee_rate", "margin_rate", "own_share")
    def _check_terms(self):
        for project in self:
            if project.amount <= 0:
                raise ValidationError(_("The guaranteed amount must be greater than zero."))
            if project.term_months <= 0:
                raise ValidationError(_("The term must be at least one month."))
            if not 0 <= project.fee_rate <= 100 or not 0 <= project.margin_rate <= 100:
                raise ValidationError(_("Fee and margin rates must be between 0 and 100%."))
            if not 0 < project.own_share <= 100:
                raise ValidationError(_("The own share must be above 0% and at most 100%."))

    @api.constrains("loan_amount_released", "principal_repaid", "amount")
    def _check_loan_amounts(self):
        for project in self:
            if project.loan_amount_released < 0 or project.principal_repaid < 0:
                raise ValidationError(_("Loan and repayment amounts cannot be negative."))
            if project.currency_id.compare_amounts(
                project.loan_amount_released, project.amount
            ) > 0:
                raise ValidationError(
                    _(
                        "The loan released (%(released)s) exceeds the guaranteed amount "
                        "(%(amount)s).",
                        released=project.loan_amount_released,
                        amount=project.amount,
                    )
                )
            if project.currency_id.compare_amounts(
                project.principal_repaid, project.loan_amount_released
            ) > 0:
                raise ValidationError(_("More principal repaid than the loan released."))

    @api.constrains("manager_id", "assistant_id")
    def _check_roles(self):
        for project in self:
            if project.manager_id and project.manager_id == project.assistant_id:
                raise ValidationError(
                    _("The A-role and the B-role of a project must be different people.")
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        from_import = self._lock_is_unlocked()
        for vals in vals_list:
            if not from_import and vals.get("state", "draft") != "draft":
                raise UserError(_("A guarantee project is always created pending intake."))
            if not from_import and vals.get("is_imported"):
                raise UserError(_("Only a ledger import marks a project as imported."))
        projects = super().create(vals_list)
        projects._log_states(previous_state=False)
        return projects

    # ------------------------------------------------------------------ actions

    def action_accept(self):
        return self._transition("accept")

    def action_start_investigation(self):
        return self._transition("start_investigation")

    def action_submit_review(self):
        self._transition("submit_review")
        self.filtered("need_validation").request_validation()
        return True

    def action_approve(self):
        return self._transition("approve")

    def action_reject(self, reason=None):
        return self._transition("reject", {"reject_reason": reason} if reason else None)

    def action_contract(self):
        return self._transition("contract")

    def action_activate(self, release_date=None, amount=None):
        """The bank released the loan. ``release_date`` and ``amount`` may come from a bank
        notification; from the form they are entered on the project first.

        Public, so it holds the same gate as the loan release wizard: only the project's
        managers, finance and executives call it, the release date is not after today and
        the amount released is positive and within the guaranteed amount."""
        self._check_activate_group()
        values = {}
        if release_date:
            values["loan_release_date"] = release_date
        if amount is not None:
            values["loan_amount_released"] = amount
        if values:
            # every blocker is listed at once, the given date and amount included; a refusal
            # undoes the write
            with self.env.cr.savepoint():
                self._unlocked().write(values)
                return self._transition("activate")
        return self._transition("activate")

    def _check_activate_group(self):
        user = self.env.user
        if self.env.su or any(user.has_group(group) for group in _ACTIVATE_GROUPS):
            return
        raise AccessError(_("Only project managers, finance and executives record that the "
                            "bank released the loan."))

    def action_release(self, release_date=None):
        self._check_can("release")
        return self._transition(
            "release", {"date_released": release_date or fields.Date.context_today(self)}
        )

    def action_close(self):
        return self._transition("close")

    def action_cancel(self, reason=None):
        return self._transition("cancel", {"cancel_reason": reason} if reason else None)

    def action_open_repayment_wizard(self):
        """Finance records a repayment the bank did not notify, with its reason."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Record a Repayment"),
            "res_model": "guarantee.project.repayment.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    def action_open_loan_release_wizard(self):
        """Finance records the bank's loan release (放款登记), which puts the guarantee in force."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Record the Loan Release"),
            "res_model": "guarantee.project.loan.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    def _record_loan_release(self, release_date, amount, reference):
        """Put a contracted project in force with the loan the bank released, and say in the
        chatter who recorded it and from which notice or voucher."""
        self.ensure_one()
        if self.currency_id.compare_amounts(amount, 0.0) <= 0:
            raise UserError(_("The amount of loan released must be positive."))
        if release_date > fields.Date.context_today(self):
            raise UserError(_("The loan release date cannot be in the future."))
        if not (reference or "").strip():
            raise UserError(_("Give the bank's release notice or loan voucher number."))
        # Finance reads projects only: the activation gates still apply, then this checked
        # path writes as superuser in the name of the user who recorded it.
        self.sudo().action_activate(release_date=release_date, amount=amount)
        self.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=_(
                "Loan release of %(amount)s on %(date)s recorded by %(user)s (%(reference)s).",
                amount=amount,
                date=release_date,
                user=self.env.user.name,
                reference=reference,
            ),
        )

    def _record_repayment(self, amount, reason, date=None):
        """Add ``amount`` to the principal repaid of a project in force, and say in the
        chatter who recorded it and why (a bank notice or finance's reason)."""
        self.ensure_one()
        if self.state != "active":
            raise UserError(
                _("Repayments are recorded on a project in force; %(project)s is not.",
                  project=self.display_name)
            )
        if self.currency_id.compare_amounts(amount, 0.0) <= 0:
            raise UserError(_("A repayment must be positive."))
        if not (reason or "").strip():
            raise UserError(_("Give the reason or the source of the repayment."))
        if date and fields.Date.to_date(date) > fields.Date.context_today(self):
            raise UserError(_("A repayment cannot be dated in the future."))
        # Finance reads projects only: this checked path writes and posts as superuser,
        # in the name of the user who recorded it.
        project = self.sudo()
        project._unlocked().write({"principal_repaid": project.principal_repaid + amount})
        self.env["guarantee.project.repayment"].sudo().create({
            "project_id": project.id,
            "date": date or fields.Date.context_today(self),
            "amount": amount,
            "reason": reason,
            "user_id": self.env.user.id,
        })
        project.message_post(
            author_id=self.env.user.partner_id.id,
            body=_(
                "Repayment of %(amount)s on %(date)s recorded by %(user)s: %(reason)s",
                amount=amount,
                date=date or fields.Date.context_today(self),
                user=self.env.user.name,
                reason=reason,
            )
        )

    @api.model
    def _balance_on(self, date, company_ids=None, project_ids=None):
        """Each project's state and balance in force on the past day ``date``, rebuilt from its
        own history in one query (see ``BALANCE_ON``): {project id: (state, balance)}, for the
        projects of ``company_ids`` (or ``project_ids``) that existed that day."""
        date = fields.Date.to_date(date)
        where = []
        if company_ids is not None:
            where.append("project.company_id IN %(company_ids)s")
        if project_ids is not None:
            where.append("project.id IN %(project_ids)s")
        self.flush_model(["state", "loan_release_date", "loan_amount_released",
                          "principal_repaid", "own_share", "date_released", "company_id"])
        self.env["guarantee.project.state.log"].flush_model()
        self.env["guarantee.project.repayment"].flush_model()
        self.env.cr.execute(
            BALANCE_ON.format(where=" AND ".join(where) or "TRUE"),
            {
                "date": date,
                "day_after": date + relativedelta(days=1),
                "company_ids": tuple(company_ids or [0]),
                "project_ids": tuple(project_ids or [0]),
            },
        )
        return {project_id: (state, balance) for project_id, state, balance in
                self.env.cr.fetchall()}

    def action_open_reassign_wizard(self):
        """Hand a project over to other managers (or another credit line), with the reason."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reassign the Project"),
            "res_model": "guarantee.project.reassign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    @api.model
    def _reassign_groups(self):
        """``{field: groups (xml ids) allowed to change it once money is at stake}``."""
        executive = ("guarantee_base.group_guarantee_executive",)
        return {"manager_id": executive, "assistant_id": executive}

    def _reassign(self, values, reason):
        """Change who answers for the project (and, with the risk addon, its credit line)
        while money is at stake, and say in the chatter who did it and why."""
        self.ensure_one()
        groups = self._reassign_groups()
        unknown = set(values) - set(groups)
        if unknown:
            raise UserError(_("Only %(fields)s are changed by a reassignment.",
                              fields=self._lock_field_labels(groups)))
        changes = {name: value for name, value in values.items()
                   if self[name].id != (value or False)}
        user = self.env.user
        for name in changes:
            if not self.env.su and not any(user.has_group(group) for group in groups[name]):
                raise AccessError(_("You may not change %(field)s of a project.",
                                    field=self._lock_field_labels([name])))
        if not (reason or "").strip():
            raise UserError(_("Give the reason for the reassignment."))
        if not changes:
            return False
        before = {name: self[name].display_name or "-" for name in changes}
        project = self.sudo()
        project._unlocked().write(changes)
        project.message_post(
            author_id=user.partner_id.id,
            body=_(
                "Reassigned by %(user)s: %(changes)s. Reason: %(reason)s",
                user=user.name,
                changes="; ".join(
                    "%s: %s → %s" % (self._lock_field_labels([name]), before[name],
                                     project[name].display_name or "-")
                    for name in changes
                ),
                reason=reason,
            ),
        )
        return True

    def action_open_transition_wizard(self):
        """Ask for a reason before rejecting or cancelling."""
        step = self.env.context.get("guarantee_step")
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.project.transition.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_ids": self.ids, "default_step": step},
        }

    # ------------------------------------------------------------------ transitions

    def _next_step(self):
        """The forward step the form's main button takes from the current state."""
        self.ensure_one()
        forward = {
            "draft": "accept",
            "accepted": "start_investigation",
            "investigating": "submit_review",
            "reviewing": "approve",
            "approved": "contract",
            "contracted": "activate",
            "active": "release",
        }
        return forward.get(self.state)

    def _transition_blockers(self, step, ignore_missing_release=False):
        """Reasons why ``step`` cannot be taken now, as translated sentences.

        Addons extend this with their own gates (documents, counter-guarantees, contracts,
        fees…); an empty list means the step is allowed.
        """
        self.ensure_one()
        from_states, new_state = self._lock_transitions[step]
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        if self.state not in from_states:
            return [
                _(
                    "The project is %(state)s; it can become %(new)s only from: %(allowed)s.",
                    state=state_labels[self.state],
                    new=state_labels[new_state],
                    allowed=", ".join(state_labels[s] for s in from_states),
                )
            ]
        blockers = []
        if step == "accept":
            blockers += self._intake_blockers()
        elif step == "start_investigation":
            if not self.manager_id or not self.assistant_id:
                blockers.append(_("Both the A-role and the B-role must be assigned."))
        elif step == "submit_review":
            if not self.investigation_summary or not self.investigation_summary.strip():
                blockers.append(_("The due-diligence conclusion is missing."))
        elif step == "approve":
            if self.validation_status in ("waiting", "pending"):
                blockers.append(_("The approval tiers are not all validated yet."))
            if self.validation_status == "rejected":
                blockers.append(_("An approval tier rejected the project."))
        elif step == "activate":
            blockers += self._loan_release_blockers(ignore_missing_release)
        return blockers

    def _loan_release_blockers(self, ignore_missing=False):
        """The loan release as the wizard checks it: a date not after today, an amount
        within the guaranteed amount."""
        self.ensure_one()
        blockers = []
        if not ignore_missing:
            if not self.loan_release_date:
                blockers.append(_("The loan release date is missing."))
            if self.loan_amount_released <= 0:
                blockers.append(_("The amount of loan released must be positive."))
        today = fields.Date.context_today(self)
        if self.loan_release_date and self.loan_release_date > today:
            blockers.append(_("The loan release date %(date)s is after today.",
                              date=self.loan_release_date))
        if self.currency_id.compare_amounts(self.loan_amount_released, self.amount) > 0:
            blockers.append(_("The loan released exceeds the guaranteed amount %(amount)s.",
                              amount=self.amount))
        return blockers

    def _intake_blockers(self):
        self.ensure_one()
        blockers = []
        partner = self.partner_id
        if not partner.uscc:
            blockers.append(_("The applicant's USCC / ID number is missing."))
        if self.business_type in ("loan", "housing") and not self.creditor_id:
            blockers.append(_("The creditor bank is missing."))
        product = self.product_id
        if product.max_amount and self.currency_id.compare_amounts(
            self.amount, product.max_amount
        ) > 0:
            blockers.append(
                _(
                    "The amount %(amount)s exceeds the product maximum %(max)s.",
                    amount=self.amount,
                    max=product.max_amount,
                )
            )
        if product.max_term_months and self.term_months > product.max_term_months:
            blockers.append(
                _(
                    "The term of %(term)s months exceeds the product maximum of %(max)s.",
                    term=self.term_months,
                    max=product.max_term_months,
                )
            )
        return blockers

    def _check_can(self, step, **options):
        """Raise one UserError listing every reason why ``step`` is refused."""
        messages = []
        for project in self:
            blockers = project._transition_blockers(step, **options)
            if blockers:
                messages.append(
                    "%s:\n - %s" % (project.display_name, "\n - ".join(blockers))
                )
        if messages:
            raise UserError(_("This step cannot be taken:\n%s", "\n".join(messages)))

    def _transition(self, step, values=None):
        self._check_can(step)
        self._do_transition(step, values)
        return True

    def _do_transition(self, step, values=None):
        """Move the projects to the state of ``step``, record when, and run its side effects.

        The write is checked against ``_lock_transitions`` by the lock mixin: a step never
        takes a project along an edge the graph does not declare (only the ledger import,
        ``_unlocked(history=True)``, does)."""
        new_state = self._lock_transitions[step][1]
        previous = {project: project.state for project in self}
        vals = dict(values or {}, state=new_state, date_state=fields.Datetime.now())
        self._unlocked().with_context(skip_validation_check=True).write(vals)
        self._log_states(previous_state=previous)
        self._after_transition(step)

    @api.model
    def _create_imported(self, vals_list):
        """Create projects from a ledger in whatever state the ledger gives (draft…closed).

        Imported history went through its approvals before this system existed: it bypasses
        the transition gates, so this path is only reachable from server code (a private
        method, and a token object no RPC call can put in the context). The import keeps its
        own audit (file, user, date, projects), not auditlog's field-by-field trail.
        """
        vals_list = [dict(vals, is_imported=True) for vals in vals_list]
        return create_unaudited(
            self._unlocked(history=True).with_context(skip_validation_check=True),
            vals_list,
        )

    def _write_imported(self, vals):
        """Update imported projects from a newer ledger, state included, without gates."""
        if any(not project.is_imported for project in self):
            raise UserError(
                _("Only projects created by a ledger import can be updated from a ledger.")
            )
        previous = {project: project.state for project in self}
        self._unlocked(history=True).with_context(skip_validation_check=True).write(vals)
        if "state" in vals:
            self._log_states(previous_state=previous)
        return True

    def _after_transition(self, step):
        """Hook for what follows a step: activities, releases of collateral, entries…"""

    def _log_states(self, previous_state):
        """One history line per project for the state it just entered."""
        now = fields.Datetime.now()
        last_logs = {}
        if previous_state:
            for log in self.env["guarantee.project.state.log"].sudo().search(
                [("project_id", "in", self.ids)], order="date desc, id desc"
            ):
                last_logs.setdefault(log.project_id, log)
        self.env["guarantee.project.state.log"].sudo().create(
            [
                {
                    "project_id": project.id,
                    "state": project.state,
                    "previous_state": previous_state and previous_state.get(project),
                    "date": now,
                    "duration_days": (
                        (now - last_logs[project].date).total_seconds() / 86400.0
                        if project in last_logs
                        else 0.0
                    ),
                }
                for project in self
            ]
        )
