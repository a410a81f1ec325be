from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.guarantee_base.models.guarantee_project import RISK_CLASSES

from ..tools.classification import suggested_class

# Only the decision actions write these.
_DECISION_FIELDS = ("state", "approved_by_id", "date_approved")


class GuaranteeRiskClassification(models.Model):
    """五级分类 change of one project: proposed with a reason, approved by a risk officer."""

    _name = "guarantee.risk.classification"
    _description = "Risk Classification Change"
    _inherit = ["mail.thread", "guarantee.lock.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _lock_action_fields = _DECISION_FIELDS
    _lock_readonly_states = ("approved", "refused")
    # A proposed change is approved (the project's class changes) or refused, once.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_approve": (("draft",), "approved"),
        "action_refuse": (("draft",), "refused"),
    }

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
        [("draft", "Draft"), ("approved", "Approved"), ("refused", "Refused")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime(readonly=True, copy=False)

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

    def action_approve(self):
        """A risk officer other than the proposer approves: the project takes the new class."""
        self._check_risk_officer()
        self._check_four_eyes()
        if any(change.state != "draft" for change in self):
            raise UserError(_("Only draft classification changes can be approved."))
        for change in self:
            if change.project_id.risk_class != change.old_class:
                raise UserError(
                    _(
                        "The class of %(project)s changed since this proposal was made; "
                        "propose again.",
                        project=change.project_id.display_name,
                    )
                )
        self._write_decision(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "date_approved": fields.Datetime.now(),
            }
        )
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
        self._check_risk_officer()
        if any(change.state != "draft" for change in self):
            raise UserError(_("Only draft classification changes can be refused."))
        self._write_decision(
            {
                "state": "refused",
                "approved_by_id": self.env.uid,
                "date_approved": fields.Datetime.now(),
            }
        )
        return True

    def _write_decision(self, vals):
        return self._unlocked().write(vals)

    def _check_four_eyes(self):
        """Whoever proposed a change of class does not approve it (DESIGN: four eyes). The
        proposer is the record's creator, which no client can set."""
        for change in self:
            if change.create_uid == self.env.user:
                raise AccessError(
                    _("You proposed the change of class of %(project)s: another risk officer "
                      "approves it (four eyes).", project=change.project_id.display_name)
                )

    def _check_risk_officer(self):
        if not self.env.user.has_group("guarantee_base.group_guarantee_risk"):
            raise AccessError(_("Only a risk officer can decide on a change of risk class."))
