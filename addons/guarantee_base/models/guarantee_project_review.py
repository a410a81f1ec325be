from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from .guarantee_review import REVIEW_OUTCOMES


class GuaranteeProject(models.Model):
    """Approval gates of a project: tier validation, the review committee and extensions."""

    _inherit = "guarantee.project"

    committee_review_ids = fields.One2many(
        "guarantee.review", "project_id", string="Committee Meetings", readonly=True
    )
    committee_review_id = fields.Many2one(
        "guarantee.review", compute="_compute_committee_review", string="Committee Meeting"
    )
    committee_required = fields.Boolean(
        compute="_compute_committee_required",
        string="Committee Decision Required",
        help="The amount reaches the product's committee threshold.",
    )
    committee_outcome = fields.Selection(
        REVIEW_OUTCOMES, compute="_compute_committee_review", string="Committee Outcome"
    )
    committee_conditions = fields.Text(
        compute="_compute_committee_review", string="Conditions of Approval"
    )
    extension_ids = fields.One2many(
        "guarantee.project.extension", "project_id", string="Extensions", readonly=True
    )
    extension_count = fields.Integer(compute="_compute_extension_count")

    @api.depends("committee_review_ids.outcome", "committee_review_ids.conditions")
    def _compute_committee_review(self):
        for project in self:
            review = project.committee_review_ids[:1]
            project.committee_review_id = review
            project.committee_outcome = review.outcome
            project.committee_conditions = review.conditions

    @api.depends("amount", "product_id.committee_threshold")
    def _compute_committee_required(self):
        for project in self:
            project.committee_required = project._needs_committee()

    @api.depends("extension_ids")
    def _compute_extension_count(self):
        for project in self:
            project.extension_count = len(project.extension_ids)

    # ------------------------------------------------------------------ actions

    def action_open_committee_review(self):
        """Open the project's committee meeting, or a new one for it."""
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": _("Committee Meeting"),
            "res_model": "guarantee.review",
            "view_mode": "form",
            "context": {"default_project_id": self.id},
        }
        if self.committee_review_id:
            action["res_id"] = self.committee_review_id.id
        return action

    def action_open_extensions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Extensions"),
            "res_model": "guarantee.project.extension",
            "view_mode": "list,form",
            "domain": [("project_id", "=", self.id)],
            "context": {"default_project_id": self.id},
        }

    def action_request_extension(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Request Extension"),
            "res_model": "guarantee.project.extension",
            "view_mode": "form",
            "context": {"default_project_id": self.id},
        }

    def validate_tier(self):
        self._check_is_reviewer()
        return super().validate_tier()

    def reject_tier(self):
        self._check_is_reviewer()
        return super().reject_tier()

    # ------------------------------------------------------------------ gates

    def _transition_blockers(self, step, **options):
        blockers = super()._transition_blockers(step, **options)
        if step != "approve" or self.state != "reviewing":
            return blockers
        # need_validation has no dependencies: a value cached before the tiers were
        # requested would be stale.
        self.invalidate_recordset(["need_validation"])
        if self.need_validation:
            blockers.append(
                _("Approval tiers apply to this project but their validation was not requested.")
            )
        review = self.sudo().committee_review_id
        if self._needs_committee() and review.outcome != "approved":
            if review.outcome == "rejected":
                blockers.append(
                    _("The review committee rejected this project; it can only be rejected.")
                )
            else:
                blockers.append(
                    _(
                        "Projects of %(threshold)s or more need the review committee's "
                        "approval; its decision is pending.",
                        threshold=format_amount(
                            self.env, self.product_id.committee_threshold, self.currency_id
                        ),
                    )
                )
        return blockers

    def _after_transition(self, step):
        if step == "submit_review":
            # so that action_submit_review requests the tiers that now apply
            self.invalidate_recordset(["need_validation"])
        return super()._after_transition(step)

    def _needs_committee(self):
        self.ensure_one()
        return bool(self.product_id) and (
            self.currency_id.compare_amounts(self.amount, self.product_id.committee_threshold) >= 0
        )

    def _check_is_reviewer(self):
        """Refuse, rather than silently ignore, a validation by someone who is not a reviewer
        of a pending tier."""
        for project in self:
            if not project.can_review:
                pending = project.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
                raise UserError(
                    _(
                        "You are not a reviewer of the pending approval tiers of %(project)s: "
                        "%(tiers)s.",
                        project=project.display_name,
                        tiers=", ".join(pending.mapped("name")) or _("none"),
                    )
                )
