from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestReviewCommittee(GuaranteeCase):
    """审保会: members vote on their own line while the project is under review; the meeting
    decides by the company's quorum and majority; the decision gates the approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "guarantee_base.group_guarantee_committee"
        cls.member_1 = new_test_user(cls.env, "t_member_1", groups=group)
        cls.member_2 = new_test_user(cls.env, "t_member_2", groups=group)
        cls.member_3 = new_test_user(cls.env, "t_member_3", groups=group)
        cls.env.company.write(
            {"guarantee_committee_quorum": 3, "guarantee_committee_majority": 66.67}
        )
        cls.product.committee_threshold = 3000000

    def _reviewing(self, amount=5000000):
        project = self._create_project(amount=amount).with_user(self.pm_a)
        project.action_accept()
        project.action_start_investigation()
        project.action_submit_review()
        return project

    def _meeting(self, project):
        review = (
            self.env["guarantee.review"]
            .with_user(self.risk)
            .create(
                {
                    "project_id": project.id,
                    "chair_id": self.member_1.id,
                    "location": "三楼会议室",
                    "vote_ids": [
                        (0, 0, {"member_id": member.id})
                        for member in (self.member_1, self.member_2, self.member_3)
                    ],
                }
            )
        )
        review.action_start_voting()
        return review

    def _vote(self, review, member, vote, opinion="意见"):
        line = review.vote_ids.filtered(lambda v: v.member_id == member)
        line.with_user(member).write({"vote": vote, "opinion": opinion})

    def test_member_votes_on_own_line_only(self):
        review = self._meeting(self._reviewing())
        self._vote(review, self.member_1, "approve", "同意")
        line_1 = review.vote_ids.filtered(lambda v: v.member_id == self.member_1)
        self.assertEqual(line_1.vote, "approve")
        self.assertTrue(line_1.date_voted)
        line_2 = review.vote_ids.filtered(lambda v: v.member_id == self.member_2)
        with self.assertRaisesExactly(
            UserError, r"Only t_member_2 \(guarantee_base\.group_guarantee_committee\) can cast"
        ):
            line_2.with_user(self.member_1).write({"vote": "reject"})
        self.assertFalse(line_2.vote)

    def test_committee_member_outside_the_meeting_cannot_vote(self):
        review = self._meeting(self._reviewing())
        line = review.vote_ids[0]
        with self.assertRaisesExactly(
            UserError, r"Only t_member_1 \(guarantee_base\.group_guarantee_committee\) can cast"
        ):
            line.with_user(self.committee).write({"vote": "approve"})
        with self.assertRaisesExactly(
            UserError, r"Only t_member_1 \(guarantee_base\.group_guarantee_committee\) can cast"
        ):
            line.with_user(self.executive).write({"vote": "approve"})

    def test_member_cannot_vote_once_the_project_left_review(self):
        project = self._reviewing()
        review = self._meeting(project)
        project.with_user(self.executive).action_cancel("客户撤回申请")
        with self.assertRaisesExactly(UserError, "is not under review; its votes are closed"):
            self._vote(review, self.member_1, "approve")

    def test_member_cannot_vote_before_voting_opens(self):
        project = self._reviewing()
        review = (
            self.env["guarantee.review"]
            .with_user(self.risk)
            .create(
                {"project_id": project.id, "vote_ids": [(0, 0, {"member_id": self.member_1.id})]}
            )
        )
        with self.assertRaisesExactly(UserError, "is not open"):
            self._vote(review, self.member_1, "approve")

    def test_only_committee_members_sit_on_a_meeting(self):
        project = self._reviewing()
        with self.assertRaisesExactly(
            ValidationError, r"t_pm_b \(guarantee_base\.group_guarantee_project_manager\) is not a"
        ):
            self.env["guarantee.review"].with_user(self.risk).create(
                {"project_id": project.id, "vote_ids": [(0, 0, {"member_id": self.pm_b.id})]}
            )

    def test_voting_opens_only_for_a_project_under_review(self):
        project = self._create_project()
        review = (
            self.env["guarantee.review"]
            .with_user(self.risk)
            .create(
                {"project_id": project.id, "vote_ids": [(0, 0, {"member_id": self.member_1.id})]}
            )
        )
        with self.assertRaisesExactly(UserError, "The project is not under review"):
            review.action_start_voting()
        self.assertEqual(review.state, "draft")

    def test_decision_below_quorum_is_refused_with_the_figures(self):
        review = self._meeting(self._reviewing())
        self._vote(review, self.member_1, "approve")
        self._vote(review, self.member_2, "approve")
        with self.assertRaisesExactly(
            UserError, "The quorum is not reached: 2 votes cast out of 3 members, 3 required"
        ) as refusal:
            review.with_user(self.member_1).action_decide()
        message = str(refusal.exception)
        self.assertIn("2", message)
        self.assertIn("3", message)
        self.assertEqual(review.state, "voting")

    def test_two_of_three_reaches_a_two_thirds_majority_and_conditions_show_on_project(self):
        project = self._reviewing()
        review = self._meeting(project)
        review.conditions = "追加实际控制人连带责任保证"
        self._vote(review, self.member_1, "approve")
        self._vote(review, self.member_2, "approve")
        self._vote(review, self.member_3, "abstain")
        review.with_user(self.member_1).action_decide()
        self.assertEqual((review.state, review.outcome), ("decided", "approved"))
        self.assertEqual(project.committee_conditions, "追加实际控制人连带责任保证")
        self.assertIn(review.name, project.message_ids[0].body)
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

    def test_one_of_three_is_a_rejection_and_the_project_can_only_be_rejected(self):
        project = self._reviewing()
        review = self._meeting(project)
        self._vote(review, self.member_1, "approve")
        self._vote(review, self.member_2, "reject")
        self._vote(review, self.member_3, "abstain")
        review.with_user(self.executive).action_decide()
        self.assertEqual(review.outcome, "rejected")
        with self.assertRaisesExactly(
            UserError, "The review committee rejected this project; it can only be rejected"
        ) as refusal:
            project.with_user(self.executive).action_approve()
        self.assertIn("rejected", str(refusal.exception))
        project.with_user(self.executive).action_reject("审保会否决")
        self.assertEqual(project.state, "rejected")

    def test_approval_waits_for_the_committee_above_its_threshold(self):
        project = self._reviewing(amount=3000000)
        self.assertTrue(project.committee_required)
        with self.assertRaisesExactly(
            UserError, r"Projects of \$ 3,000,000\.00 or more need the review committee's approval"
        ):
            project.with_user(self.executive).action_approve()
        review = self._meeting(project)
        with self.assertRaisesExactly(
            UserError, r"Projects of \$ 3,000,000\.00 or more need the review committee's approval"
        ):
            project.with_user(self.executive).action_approve()
        self.assertIn("committee", project.next_step_blockers)
        for member in (self.member_1, self.member_2, self.member_3):
            self._vote(review, member, "approve")
        review.with_user(self.member_1).action_decide()
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

    def test_project_below_threshold_needs_no_committee(self):
        project = self._reviewing(amount=2999999)
        self.assertFalse(project.committee_required)
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

    def test_only_the_chair_or_an_executive_closes_the_vote(self):
        review = self._meeting(self._reviewing())
        for member in (self.member_1, self.member_2, self.member_3):
            self._vote(review, member, "approve")
        with self.assertRaisesExactly(
            UserError, "Only the chair or an executive can close the vote"
        ):
            review.with_user(self.member_2).action_decide()
        review.with_user(self.member_1).action_decide()
        self.assertEqual(review.outcome, "approved")

    def test_outcome_and_votes_cannot_be_forced(self):
        review = self._meeting(self._reviewing())
        with self.assertRaisesExactly(
            UserError, "“Outcome”, “State” of Review Committee Meeting change only through its"
        ):
            review.with_user(self.executive).write({"outcome": "approved", "state": "decided"})
        for member in (self.member_1, self.member_2, self.member_3):
            self._vote(review, member, "reject")
        review.with_user(self.executive).action_decide()
        with self.assertRaisesExactly(UserError, "is Decided and can no longer be changed"):
            review.with_user(self.executive).write({"conditions": "改为通过"})
        with self.assertRaisesExactly(UserError, "Only a meeting that is voting can decide"):
            review.with_user(self.executive).action_decide()

    def test_committee_member_sees_own_meetings_and_those_under_review(self):
        project = self._reviewing()
        review = self._meeting(project)
        Review = self.env["guarantee.review"]
        self.assertEqual(Review.with_user(self.committee).search([("id", "=", review.id)]), review)
        for member in (self.member_1, self.member_2, self.member_3):
            self._vote(review, member, "approve")
        review.with_user(self.member_1).action_decide()
        project.with_user(self.executive).action_approve()
        self.assertFalse(Review.with_user(self.committee).search([("id", "=", review.id)]))
        self.assertEqual(Review.with_user(self.member_1).search([("id", "=", review.id)]), review)
        self.assertFalse(Review.with_user(self.pm_other).search([("id", "=", review.id)]))

    def test_project_form_opens_or_creates_its_meeting(self):
        project = self._reviewing()
        action = project.with_user(self.risk).action_open_committee_review()
        self.assertFalse(action.get("res_id"))
        with Form(
            self.env["guarantee.review"].with_user(self.risk).with_context(**action["context"])
        ) as meeting:
            with meeting.vote_ids.new() as line:
                line.member_id = self.member_1
        review = meeting.save()
        self.assertEqual(project.committee_review_id, review)
        action = project.with_user(self.risk).action_open_committee_review()
        self.assertEqual(action["res_id"], review.id)

    def test_ballot_opens_only_for_the_member_while_voting(self):
        review = self._meeting(self._reviewing())
        line = review.vote_ids.filtered(lambda v: v.member_id == self.member_2)
        action = line.with_user(self.member_2).action_open_ballot()
        self.assertEqual(action["res_id"], line.id)
        with self.assertRaisesExactly(
            UserError, r"Only t_member_2 \(guarantee_base\.group_guarantee_committee\) can cast"
        ):
            line.with_user(self.member_1).action_open_ballot()

    def test_every_role_reads_the_approval_fields_of_a_visible_project(self):
        project = self._reviewing()
        self._meeting(project)
        fields_ = [
            "committee_review_id",
            "committee_required",
            "committee_outcome",
            "committee_conditions",
            "extension_ids",
            "extension_count",
            "validation_status",
        ]
        for user in (self.pm_a, self.risk, self.committee, self.finance, self.executive):
            values = project.with_user(user).read(fields_)[0]
            self.assertTrue(values["committee_required"], user.login)
            self.assertTrue(values["committee_review_id"], user.login)
            views = self.env["guarantee.project"].with_user(user).get_views([(False, "form")])
            self.assertIn("committee_review_id", views["models"]["guarantee.project"]["fields"])

    def test_my_votes_lists_only_my_open_ballots(self):
        """我的投票: the member's own ballots still to cast, never the other members' ones."""
        from odoo.tools.safe_eval import safe_eval

        review = self._meeting(self._reviewing())
        self._vote(review, self.member_2, "approve")
        action = self.env.ref("guarantee_base.guarantee_review_vote_action_mine")
        search_view = self.env.ref("guarantee_base.guarantee_review_vote_view_search")
        filters = {
            node.get("name"): node.get("domain")
            for node in search_view._get_combined_arch().iter("filter")
        }
        context = safe_eval(action.context)
        defaults = [filters[key[len("search_default_"):]] for key in context
                    if key.startswith("search_default_") and context[key]]
        Vote = self.env["guarantee.review.vote"]
        for member, expected in ((self.member_1, True), (self.member_2, False),
                                 (self.member_3, True)):
            domain = safe_eval(action.domain, {"uid": member.id})
            for default in defaults:  # default filters of one group, combined with AND
                domain += safe_eval(default, {"uid": member.id})
            ballots = Vote.with_user(member).search(domain)
            with self.subTest(member=member.login):
                self.assertEqual(ballots.member_id, member if expected else Vote.member_id)
                self.assertEqual(len(ballots), 1 if expected else 0)

    def test_a_meeting_is_born_convened_and_its_decision_is_final(self):
        """Issue 22, the declared state machine: a meeting is not created voting or decided,
        a copy starts convened without the outcome, and no step leaves a decision."""
        project = self._reviewing()
        forged = "^A committee meeting is always created before its vote\\.$"
        for values in ({"state": "decided"}, {"state": "voting"}, {"outcome": "approved"}):
            with self.assertRaisesExactly(UserError, forged):
                self.env["guarantee.review"].sudo().create(dict(values, project_id=project.id))
        review = self._meeting(project)  # convened, then voting through its action
        self.assertEqual(review.state, "voting")
        for member in (self.member_1, self.member_2, self.member_3):
            self._vote(review, member, "approve")
        review.with_user(self.member_1).action_decide()
        self.assertEqual((review.state, review.outcome), ("decided", "approved"))
        for state, label in (("draft", "Convened"), ("voting", "Voting")):
            with self.assertRaisesExactly(
                UserError, "^%s is Decided and cannot become %s\\.$" % (review.name, label)
            ):
                review._unlocked().write({"state": state})
        self.assertEqual(review.state, "decided")
        other = self._reviewing()
        with self.assertRaisesExactly(UserError, forged):
            review.copy({"project_id": other.id, "state": "decided"})
        copy = review.copy({"project_id": other.id})
        self.assertEqual(
            (copy.state, copy.outcome, copy.date_decided, len(copy.vote_ids)),
            ("draft", False, False, 0),
        )
        # a convened meeting does not skip the vote
        with self.assertRaisesExactly(
            UserError, "^%s is Convened and cannot become Decided\\.$" % copy.name
        ):
            copy._unlocked().write({"state": "decided"})
