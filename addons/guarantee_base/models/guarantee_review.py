from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

REVIEW_STATES = [
    ("draft", "Convened"),
    ("voting", "Voting"),
    ("decided", "Decided"),
]
REVIEW_OUTCOMES = [
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# Fields only the actions may write.
ACTION_ONLY_FIELDS = {"state", "outcome", "date_decided"}


class GuaranteeReview(models.Model):
    """审保会: the review committee meeting that decides on one project.

    Members are the users of the vote lines (one line per member). The quorum and the
    majority are company settings, applied when the meeting decides.
    """

    _name = "guarantee.review"
    _description = "Review Committee Meeting"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.review"
    _order = "date desc, id desc"
    _check_company_auto = True

    _lock_action_fields = tuple(ACTION_ONLY_FIELDS)
    _lock_fields_by_state = {"voting": ("project_id", "vote_ids", "company_id")}
    _lock_readonly_states = ("decided",)
    _lock_unlink_states = ("draft",)
    # Convened, then voting, then decided (final: the decision is the project's gate).
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_start_voting": (("draft",), "voting"),
        "action_decide": (("voting",), "decided"),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    project_id = fields.Many2one(
        "guarantee.project",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="project_id.currency_id")
    partner_id = fields.Many2one(related="project_id.partner_id", string="Applicant")
    amount = fields.Monetary(related="project_id.amount", currency_field="currency_id")
    project_state = fields.Selection(related="project_id.state", string="Project State")
    date = fields.Datetime(
        string="Meeting Date", required=True, default=fields.Datetime.now, tracking=True
    )
    location = fields.Char()
    chair_id = fields.Many2one(
        "res.users",
        string="Chair",
        tracking=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("guarantee_base.group_guarantee_committee").ids)
        ],
    )
    vote_ids = fields.One2many("guarantee.review.vote", "review_id", string="Members' Votes")
    member_ids = fields.Many2many("res.users", compute="_compute_member_ids", string="Members")
    state = fields.Selection(
        REVIEW_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    outcome = fields.Selection(
        REVIEW_OUTCOMES, readonly=True, copy=False, tracking=True, index=True
    )
    conditions = fields.Text(
        string="Conditions of Approval",
        tracking=True,
        help="Conditions the committee attaches to its approval (additional counter-guarantees, "
        "fund supervision…); shown on the project.",
    )
    opinion = fields.Text(string="Committee Opinion", tracking=True)
    date_decided = fields.Datetime(readonly=True, copy=False)
    vote_approve_count = fields.Integer(compute="_compute_vote_counts", string="For")
    vote_reject_count = fields.Integer(compute="_compute_vote_counts", string="Against")
    vote_abstain_count = fields.Integer(compute="_compute_vote_counts", string="Abstentions")
    vote_cast_count = fields.Integer(compute="_compute_vote_counts", string="Votes Cast")
    quorum = fields.Integer(related="company_id.guarantee_committee_quorum")
    majority = fields.Float(related="company_id.guarantee_committee_majority")

    _sql_constraints = [
        (
            "project_unique",
            "unique(project_id)",
            "A project has one review committee meeting.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("vote_ids.member_id")
    def _compute_member_ids(self):
        for review in self:
            review.member_ids = review.vote_ids.member_id

    @api.depends("vote_ids.vote")
    def _compute_vote_counts(self):
        for review in self:
            votes = review.vote_ids.mapped("vote")
            review.vote_approve_count = votes.count("approve")
            review.vote_reject_count = votes.count("reject")
            review.vote_abstain_count = votes.count("abstain")
            review.vote_cast_count = len([vote for vote in votes if vote])

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # what a copy or an import sends for a new meeting (convened, no outcome) passes
            forged = {
                name for name in ACTION_ONLY_FIELDS & set(vals)
                if vals[name] and (name, vals[name]) != ("state", "draft")
            }
            if forged:
                raise UserError(_("A committee meeting is always created before its vote."))
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions

    def action_start_voting(self):
        """Open the vote: the project must be under review and the meeting have members."""
        for review in self:
            blockers = []
            if review.state != "draft":
                blockers.append(_("Voting was already opened."))
            if review.project_id.state != "reviewing":
                blockers.append(_("The project is not under review."))
            if not review.vote_ids:
                blockers.append(_("The meeting has no members."))
            if review.chair_id and review.chair_id not in review.vote_ids.member_id:
                blockers.append(
                    _("The chair %(chair)s is not a member.", chair=review.chair_id.name)
                )
            if blockers:
                raise UserError(
                    _(
                        "Voting cannot be opened for %(review)s:\n - %(reasons)s",
                        review=review.display_name,
                        reasons="\n - ".join(blockers),
                    )
                )
        self._write_by_action({"state": "voting"})
        for review in self:
            review.message_subscribe(partner_ids=review.vote_ids.member_id.partner_id.ids)
        return True

    def action_decide(self):
        """Count the votes and record the outcome, refused below the quorum."""
        for review in self:
            review._check_can_decide()
            approved = review._majority_reached()
            review.sudo()._write_by_action(
                {
                    "state": "decided",
                    "outcome": "approved" if approved else "rejected",
                    "date_decided": fields.Datetime.now(),
                }
            )
            review.project_id.sudo().message_post(body=review._decision_message())
        return True

    # ------------------------------------------------------------------ helpers

    def _write_by_action(self, vals):
        return self._unlocked().write(vals)

    def _check_can_decide(self):
        self.ensure_one()
        user = self.env.user
        if not (
            self.env.su
            or user == self.chair_id
            or user._guarantee_is_approver()
        ):
            raise UserError(_("Only the chair or an executive can close the vote."))
        if self.state != "voting":
            raise UserError(_("Only a meeting that is voting can decide."))
        if self.sudo().project_id.state != "reviewing":
            raise UserError(_("The project is no longer under review."))
        if self.vote_cast_count < self.quorum:
            raise UserError(
                _(
                    "The quorum is not reached: %(cast)s votes cast out of %(members)s members, "
                    "%(quorum)s required.",
                    cast=self.vote_cast_count,
                    members=len(self.vote_ids),
                    quorum=self.quorum,
                )
            )

    def _majority_reached(self):
        """Approvals as a share of the votes cast (abstentions count as cast) reach the
        company's majority, compared at the setting's precision (2 of 3 reaches 66.67%)."""
        self.ensure_one()
        if not self.vote_cast_count:
            return False
        share = self.vote_approve_count * 100.0 / self.vote_cast_count
        return float_compare(share, self.majority, precision_digits=2) >= 0

    def _decision_message(self):
        self.ensure_one()
        outcome = dict(self._fields["outcome"]._description_selection(self.env))[self.outcome]
        message = _(
            "Review committee %(review)s decided: %(outcome)s (for %(approve)s, against "
            "%(reject)s, abstentions %(abstain)s).",
            review=self.name,
            outcome=outcome,
            approve=self.vote_approve_count,
            reject=self.vote_reject_count,
            abstain=self.vote_abstain_count,
        )
        if self.outcome == "approved" and self.conditions:
            message += " " + _("Conditions: %(conditions)s", conditions=self.conditions)
        return message
