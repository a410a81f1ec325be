from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

VOTES = [
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("abstain", "Abstain"),
]
BALLOT_FIELDS = {"vote", "opinion"}


class GuaranteeReviewVote(models.Model):
    """One committee member's seat at a meeting: their vote and written opinion.

    Only that member may fill it, only while the meeting votes and the project is under
    review; enforced here and by record rules.
    """

    _name = "guarantee.review.vote"
    _description = "Review Committee Vote"
    _inherit = ["guarantee.lock.mixin"]
    _order = "review_id, id"
    _rec_name = "member_id"

    _lock_state_field = "review_state"
    _lock_action_fields = ("date_voted",)
    _lock_fields_by_state = {"voting": ("member_id", "review_id")}
    _lock_readonly_states = ("decided",)

    review_id = fields.Many2one(
        "guarantee.review", string="Meeting", required=True, ondelete="cascade", index=True
    )
    project_id = fields.Many2one(
        related="review_id.project_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="review_id.company_id", store=True, index=True, precompute=True
    )
    review_state = fields.Selection(related="review_id.state", string="Meeting State")
    member_id = fields.Many2one(
        "res.users",
        string="Member",
        required=True,
        index=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("guarantee_base.group_guarantee_committee").ids)
        ],
    )
    vote = fields.Selection(VOTES)
    opinion = fields.Text()
    date_voted = fields.Datetime(readonly=True)
    is_mine = fields.Boolean(compute="_compute_is_mine")

    _sql_constraints = [
        (
            "member_unique",
            "unique(review_id, member_id)",
            "A member has one vote per meeting.",
        ),
    ]

    @api.depends_context("uid")
    @api.depends("member_id")
    def _compute_is_mine(self):
        for line in self:
            line.is_mine = line.member_id == self.env.user

    @api.constrains("member_id")
    def _check_member_is_committee(self):
        committee = self.env.ref("guarantee_base.group_guarantee_committee")
        for line in self:
            if committee not in line.member_id.groups_id:
                raise ValidationError(
                    _(
                        "%(user)s is not a review committee member.",
                        user=line.member_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if any(BALLOT_FIELDS & set(vals) for vals in vals_list):
            raise UserError(_("A vote is cast by its member once voting is open."))
        lines = super().create(vals_list)
        lines._check_review_is_draft()
        return lines

    def write(self, vals):
        if BALLOT_FIELDS & set(vals):
            self._check_can_vote()
            self._lock_check_write({k: v for k, v in vals.items() if k not in BALLOT_FIELDS})
            return super(GuaranteeReviewVote, self._unlocked()).write(
                dict(vals, date_voted=fields.Datetime.now())
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_review_is_draft()

    def action_open_ballot(self):
        """Open the member's own line in a dialog to vote and write an opinion."""
        self.ensure_one()
        self._check_can_vote()
        return {
            "type": "ir.actions.act_window",
            "name": _("My Vote"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("guarantee_base.guarantee_review_vote_view_form").id, "form")],
            "target": "new",
        }

    def _check_can_vote(self):
        """Each member votes on their own line, while the meeting votes on a project under
        review. The superuser (data loading) is bound by the states only."""
        for line in self.sudo():
            if not self.env.su and line.member_id != self.env.user:
                raise UserError(
                    _(
                        "Only %(member)s can cast this vote.",
                        member=line.member_id.name,
                    )
                )
            if line.review_id.state != "voting":
                raise UserError(_("Voting on %(review)s is not open.", review=line.review_id.name))
            if line.review_id.project_id.state != "reviewing":
                raise UserError(
                    _(
                        "%(project)s is not under review; its votes are closed.",
                        project=line.review_id.project_id.display_name,
                    )
                )

    def _check_review_is_draft(self):
        if any(line.review_id.state != "draft" for line in self.sudo()):
            raise UserError(_("Members can change only before voting opens."))
