from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.guarantee_base.models.guarantee_project import RISK_CLASSES

from ..tools.classification import suggested_class

# Only the decision actions write these.
_DECISION_FIELDS = ("state", "approved_by_id", "date_approved")
# Who may decide on a change of class: a risk officer or an executive (never its proposer).
_DECIDER_GROUPS = (
    "guarantee_base.group_guarantee_risk",
    "guarantee_base.group_guarantee_executive",
)


class GuaranteeRiskClassification(models.Model):
    """五级分类 change of one project: proposed with a reason, submitted to its approval
    tier, validated by a risk officer or an executive other than the proposer (four eyes)."""

    _name = "guarantee.risk.classification"
    _description = "Risk Classification Change"
    # the lock mixin before tier validation: its refusals (translated, by state) come first
    _inherit = ["mail.thread", "guarantee.lock.mixin", "tier.validation"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _lock_action_fields = _DECISION_FIELDS
    _lock_readonly_states = ("submitted", "approved", "refused")
    # A draft is submitted to its approval tier, then approved (the project's class changes)
    # once the tier is validated, or refused (a draft by a risk officer, a submitted change
    # by a rejected tier), once.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_submit": (("draft",), "submitted"),
        "action_approve": (("submitted",), "approved"),
        "action_refuse": (("draft", "submitted"), "refused"),
    }

    # OCA tier validation: the tier definition (data) names the eligible reviewers' field.
    _state_from = ["submitted"]
    _state_to = ["approved"]
    _cancel_state = "refused"
    _tier_validation_manual_config = False

    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="project_id.partner_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    old_class = fields.Selection(
        RISK_CLASSES,
        string="Previous Class",
        compute="_compute_old_class",
        store=True,
        precompute=True,
    )
    new_class = fields.Selection(RISK_CLASSES, required=True, tracking=True)
    days_overdue = fields.Integer(
        compute="_compute_days_overdue",
        store=True,
        readonly=False,
        precompute=True,
        help="From the latest open overdue signal of the project.",
    )
    suggested_class = fields.Selection(
        RISK_CLASSES,
        compute="_compute_suggested_class",
        store=True,
        help="The class the days overdue fall in, from the company's bands.",
    )
    reason = fields.Text(required=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    date_approved = fields.Datetime(string="Decision Date", readonly=True, copy=False)
    eligible_reviewer_ids = fields.Many2many(
        "res.users",
        compute="_compute_eligible_reviewer_ids",
        string="Eligible Reviewers",
        help="Risk officers and executives of the company, except the proposer (four eyes): "
        "the reviewers of the approval tier.",
    )

    @api.depends("project_id", "old_class", "new_class")
    def _compute_display_name(self):
        """Named by what it changes (the form's title and breadcrumb), not by its id."""
        labels = dict(self._fields["new_class"]._description_selection(self.env))
        for change in self:
            change.display_name = _(
                "%(project)s: %(old)s → %(new)s",
                project=change.project_id.name or "",
                old=labels.get(change.old_class, ""),
                new=labels.get(change.new_class, ""),
            )

    @api.depends("create_uid", "company_id")
    def _compute_eligible_reviewer_ids(self):
        deciders = self.env["res.users"]
        for xmlid in _DECIDER_GROUPS:
            deciders |= self.env.ref(xmlid).sudo().users
        for change in self:
            company = change.company_id
            change.eligible_reviewer_ids = deciders.filtered(
                lambda user, company=company: not company or company in user.company_ids
            ) - change.create_uid

    @api.depends("project_id")
    def _compute_old_class(self):
        for change in self:
            change.old_class = change.project_id.risk_class

    @api.depends("project_id")
    def _compute_days_overdue(self):
        signals = self.env["guarantee.risk.signal"].search(
            [
                ("project_id", "in", self.project_id.ids),
                ("kind", "=", "overdue"),
                ("state", "in", ("new", "acknowledged")),
            ],
            order="date desc, id desc",
        )
        latest = {}
        for signal in signals:
            latest.setdefault(signal.project_id, signal.days_overdue)
        for change in self:
            change.days_overdue = latest.get(change.project_id, 0)

    @api.depends("days_overdue", "company_id")
    def _compute_suggested_class(self):
        for change in self:
            company = change.company_id or self.env.company
            change.suggested_class = suggested_class(
                change.days_overdue, company._guarantee_class_bands()
            )

    @api.onchange("suggested_class")
    def _onchange_suggested_class(self):
        if not self.new_class:
            self.new_class = self.suggested_class

    @api.model_create_multi
    def create(self, vals_list):
        if any(set(_DECISION_FIELDS) & set(vals) for vals in vals_list):
            raise UserError(_("A classification change is created as a draft, then decided."))
        return super().create(vals_list)

    def action_submit(self):
        """The proposer submits the change to its approval tier (requested here)."""
        if any(change.state != "draft" for change in self):
            raise UserError(_("Only draft classification changes can be submitted."))
        self._unlocked().with_context(skip_validation_check=True).write({"state": "submitted"})
        self.invalidate_recordset(["need_validation"])
        self.filtered("need_validation").request_validation()
        self.invalidate_recordset(["review_ids", "validation_status"])
        untiered = self.filtered(lambda change: not change.review_ids)
        if untiered:
            raise UserError(
                _(
                    "No approval tier applies to the change of class of %(projects)s: the "
                    "guarantee administrator defines one (four eyes).",
                    projects=", ".join(untiered.project_id.mapped("display_name")),
                )
            )
        return True

    def action_approve(self):
        """Apply a change whose approval tier is validated: the project takes the new class.
        Called by the last validation of the tier (``_validate_tier``)."""
        self._check_decider()
        self._check_four_eyes()
        if any(change.state != "submitted" for change in self):
            raise UserError(_("Only submitted classification changes can be approved."))
        self.invalidate_recordset(["validation_status"])
        waiting = self.filtered(lambda change: change.validation_status != "validated")
        if waiting:
            raise UserError(
                _(
                    "The approval tier of the change of class of %(projects)s is not "
                    "validated yet.",
                    projects=", ".join(waiting.project_id.mapped("display_name")),
                )
            )
        for change in self:
            if change.project_id.risk_class != change.old_class:
                raise UserError(
                    _(
                        "The class of %(project)s changed since this proposal was made; "
                        "propose again.",
                        project=change.project_id.display_name,
                    )
                )
        self._write_decision("approved")
        for change in self:
            project = change.project_id.sudo()
            project._unlocked().write({"risk_class": change.new_class})
            project.message_post(
                author_id=self.env.user.partner_id.id,
                body=_(
                    "Risk class changed to %(new)s by %(user)s: %(reason)s",
                    new=dict(RISK_CLASSES)[change.new_class],
                    user=self.env.user.name,
                    reason=change.reason,
                ),
            )
        return True

    def action_refuse(self):
        """A risk officer refuses a draft; a submitted change is refused by rejecting its
        approval tier."""
        self._check_risk_officer()
        if any(change.state != "draft" for change in self):
            raise UserError(_("Only draft classification changes can be refused."))
        self._write_decision("refused")
        return True

    # ------------------------------------------------------------------ tier validation

    def validate_tier(self):
        self._check_four_eyes()
        self._check_is_reviewer()
        return super().validate_tier()

    def reject_tier(self):
        self._check_is_reviewer()
        return super().reject_tier()

    def _validate_tier(self, tiers=False):
        """The last validation applies the change (also when validated with a comment)."""
        result = super()._validate_tier(tiers=tiers)
        self.invalidate_recordset(["validation_status"])
        if self.state == "submitted" and self.validation_status == "validated":
            self.action_approve()
        return result

    def _rejected_tier(self, tiers=False):
        """A rejected tier refuses the change."""
        result = super()._rejected_tier(tiers=tiers)
        self.invalidate_recordset(["validation_status"])
        if self.state == "submitted" and self.validation_status == "rejected":
            self._write_decision("refused")
        return result

    def _allow_to_remove_reviews(self, values):
        """The reviews of a decided change are its record of who decided: kept."""
        return False

    # ------------------------------------------------------------------ helpers

    def _write_decision(self, state):
        """Executives review without write access to the changes: the decision is written
        as the system, in the decider's name."""
        return self.sudo()._unlocked().with_context(skip_validation_check=True).write({
            "state": state,
            "approved_by_id": self.env.uid,
            "date_approved": fields.Datetime.now(),
        })

    def _check_four_eyes(self):
        """Whoever proposed a change of class does not approve it (DESIGN: four eyes). The
        proposer is the record's creator, which no client can set."""
        for change in self:
            if change.create_uid == self.env.user:
                raise AccessError(
                    _("You proposed the change of class of %(project)s: another risk officer "
                      "approves it (four eyes).", project=change.project_id.display_name)
                )

    def _check_is_reviewer(self):
        """Refuse, rather than silently ignore, a decision by someone who is not a reviewer of
        the pending tier."""
        for change in self:
            if not change.can_review:
                raise UserError(
                    _(
                        "You are not a reviewer of the pending approval tier of the change of "
                        "class of %(project)s.",
                        project=change.project_id.display_name,
                    )
                )

    def _check_decider(self):
        if not any(self.env.user.has_group(xmlid) for xmlid in _DECIDER_GROUPS):
            raise AccessError(
                _("Only a risk officer or an executive can approve a change of risk class.")
            )

    def _check_risk_officer(self):
        if not self.env.user.has_group("guarantee_base.group_guarantee_risk"):
            raise AccessError(_("Only a risk officer can decide on a change of risk class."))
