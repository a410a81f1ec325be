from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

EXTENSION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class GuaranteeProjectExtension(models.Model):
    """展期: a request to move the end date of a project in force, approved through tiers.

    Approved requests stay on the project as its extension history.
    """

    _name = "guarantee.project.extension"
    _description = "Guarantee Extension"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.project.extension"
    _order = "id desc"
    _check_company_auto = True

    _lock_action_fields = ("state", "date_approved")
    _lock_fields_by_state = {"submitted": ("project_id", "date_end_new", "reason", "company_id")}
    _lock_readonly_states = ("approved", "rejected")
    _lock_unlink_states = ("draft",)
    # A draft is submitted to its approval tiers, then approved (the project's end date
    # moves) or rejected; both decisions are final.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_submit": (("draft",), "submitted"),
        "action_approve": (("submitted",), "approved"),
        "action_reject": (("submitted",), "rejected"),
    }

    _state_from = ["submitted"]
    _state_to = ["approved"]
    _cancel_state = "rejected"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    project_id = fields.Many2one(
        "guarantee.project",
        required=True,
        index=True,
        tracking=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', '=', 'active')]",
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="project_id.partner_id", string="Applicant")
    currency_id = fields.Many2one(related="project_id.currency_id")
    amount = fields.Monetary(related="project_id.amount", currency_field="currency_id")
    date_end_old = fields.Date(
        string="Current End Date",
        compute="_compute_date_end_old",
        store=True,
        precompute=True,
        readonly=True,
    )
    date_end_new = fields.Date(string="New End Date", required=True, tracking=True)
    extension_days = fields.Integer(compute="_compute_extension_days", string="Extended by (days)")
    reason = fields.Text(required=True, tracking=True)
    state = fields.Selection(
        EXTENSION_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_approved = fields.Date(readonly=True, copy=False)

    @api.depends("project_id")
    def _compute_date_end_old(self):
        for extension in self:
            extension.date_end_old = extension.project_id.date_end

    @api.depends("date_end_old", "date_end_new")
    def _compute_extension_days(self):
        for extension in self:
            if extension.date_end_old and extension.date_end_new:
                extension.extension_days = (extension.date_end_new - extension.date_end_old).days
            else:
                extension.extension_days = 0

    @api.constrains("date_end_old", "date_end_new")
    def _check_new_date_after_old(self):
        for extension in self:
            if extension.date_end_old and extension.date_end_new <= extension.date_end_old:
                raise ValidationError(
                    _(
                        "The new end date %(new)s must be after the current end date %(old)s.",
                        new=extension.date_end_new,
                        old=extension.date_end_old,
                    )
                )

    @api.constrains("project_id")
    def _check_project_active(self):
        for extension in self:
            if extension.state == "draft" and extension.project_id.state != "active":
                raise ValidationError(
                    _(
                        "Only a project in force can be extended; %(project)s is not.",
                        project=extension.project_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(_("An extension is always created as a draft."))
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        self._check_can("submit")
        self._set_state("submitted")
        self.invalidate_recordset(["need_validation"])
        self.filtered("need_validation").request_validation()
        return True

    def action_approve(self):
        """Apply the new end date to the project (tracked in its chatter)."""
        self._check_can("approve")
        self._set_state("approved", date_approved=fields.Date.context_today(self))
        for extension in self:
            project = extension.project_id.sudo()
            project._unlocked().write({"date_end": extension.date_end_new})
            project.message_post(
                body=_(
                    "Extension %(extension)s approved: end date moved from %(old)s to %(new)s. "
                    "Reason: %(reason)s",
                    extension=extension.name,
                    old=extension.date_end_old,
                    new=extension.date_end_new,
                    reason=extension.reason,
                )
            )
        return True

    def action_reject(self):
        self._check_can("reject")
        self._set_state("rejected")
        return True

    def validate_tier(self):
        self._check_is_reviewer()
        return super().validate_tier()

    def reject_tier(self):
        self._check_is_reviewer()
        return super().reject_tier()

    # ------------------------------------------------------------------ helpers

    def _blockers(self, step):
        """Reasons why ``step`` (submit, approve, reject) is refused now."""
        self.ensure_one()
        allowed_from = {"submit": "draft", "approve": "submitted", "reject": "submitted"}
        state_labels = dict(EXTENSION_STATES)
        if self.state != allowed_from[step]:
            return [
                _(
                    "The extension is %(state)s.",
                    state=state_labels[self.state],
                )
            ]
        blockers = []
        if step in ("submit", "approve") and self.project_id.state != "active":
            blockers.append(_("The project is no longer in force."))
        if step == "approve":
            self.invalidate_recordset(["need_validation"])
            if self.need_validation or self.validation_status in ("waiting", "pending"):
                blockers.append(_("The approval tiers are not all validated yet."))
            elif self.validation_status == "rejected":
                blockers.append(_("An approval tier rejected the extension."))
        return blockers

    def _check_can(self, step):
        messages = []
        for extension in self:
            blockers = extension._blockers(step)
            if blockers:
                messages.append("%s:\n - %s" % (extension.display_name, "\n - ".join(blockers)))
        if messages:
            raise UserError(
                _("This step cannot be taken:\n%(reasons)s", reasons="\n".join(messages))
            )

    def _set_state(self, state, **values):
        self._unlocked().with_context(skip_validation_check=True).write(dict(values, state=state))

    def _check_is_reviewer(self):
        for extension in self:
            if not extension.can_review:
                raise UserError(
                    _(
                        "You are not a reviewer of the pending approval tiers of %(extension)s.",
                        extension=extension.display_name,
                    )
                )
