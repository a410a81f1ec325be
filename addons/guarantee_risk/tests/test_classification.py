import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RiskCase


@tagged("at_install")
class TestClassification(RiskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.borrower = cls._company_partner("南京分类测试有限公司", "small")
        cls.project = cls._in_force(cls.borrower, 1_000_000)
        cls.risk_2 = new_test_user(cls.env, "t_risk_2",
                                   groups="guarantee_base.group_guarantee_risk")

    def _signal(self, days):
        return self.env["guarantee.risk.signal"].create(
            {
                "project_id": self.project.id,
                "kind": "overdue",
                "severity": "high",
                "source": "bank",
                "description": "银行通知：本金逾期",
                "days_overdue": days,
            }
        )

    def _propose(self, user=None):
        form = Form(
            self.env["guarantee.risk.classification"]
            .with_user(user or self.risk)
            .with_context(default_project_id=self.project.id)
        )
        form.reason = "借款人逾期，现金流紧张"
        return form.save()

    def test_suggested_class_comes_from_the_overdue_signal_and_company_bands(self):
        self._signal(95)
        change = self._propose()
        self.assertEqual(change.days_overdue, 95)
        self.assertEqual(change.suggested_class, "substandard")
        self.assertEqual(change.new_class, "substandard")
        self.assertEqual(change.old_class, "normal")

    def test_bands_are_company_settings(self):
        self.company.guarantee_class_substandard_days = 120
        self._signal(95)
        self.assertEqual(self._propose().suggested_class, "special")

    def test_bands_must_increase(self):
        with self.assertRaisesExactly(
            ValidationError, "The days-overdue bands must start at 1 day or more and increase"
        ):
            self.company.guarantee_class_doubtful_days = 50

    def _submitted(self, user=None, days=200):
        self._signal(days)
        change = self._propose(user=user)
        change.with_user(user or self.risk).action_submit()
        self.assertEqual(change.state, "submitted")
        return change

    def test_the_tier_is_reviewed_by_risk_officers_and_executives_but_the_proposer(self):
        """The tier definition shipped as data: one tier whose reviewers are the company's
        risk officers and executives, the proposer excepted (four eyes)."""
        tier = self.env.ref("guarantee_risk.tier_definition_classification")
        self.assertEqual((tier.model, tier.review_type, tier.reviewer_field_id.name),
                         ("guarantee.risk.classification", "field", "eligible_reviewer_ids"))
        change = self._submitted(user=self.risk)
        self.assertEqual(change.review_ids.definition_id, tier)
        self.assertEqual(change.review_ids.reviewer_ids, self.risk_2 | self.executive)
        self.assertEqual(change.validation_status, "pending")
        self.assertTrue(change.with_user(self.risk_2).can_review)
        self.assertFalse(change.with_user(self.risk).can_review)
        # a project manager's proposal is reviewed by every risk officer and executive
        self.assertEqual(self._submitted(user=self.pm_a).review_ids.reviewer_ids,
                         self.risk | self.risk_2 | self.executive)

    def test_risk_officer_approval_changes_the_class_and_keeps_history(self):
        change = self._submitted()
        change.with_user(self.risk_2).validate_tier()
        self.assertEqual(change.state, "approved")
        self.assertEqual(self.project.risk_class, "doubtful")
        self.assertTrue(self.project.is_non_performing)
        self.assertEqual(change.approved_by_id, self.risk_2)
        self.assertEqual(self.project.classification_ids, change)
        self.assertEqual((change.review_ids.status, change.review_ids.done_by),
                         ("approved", self.risk_2))

    def test_an_executive_validates_a_change_of_class(self):
        change = self._submitted()
        change.with_user(self.executive).validate_tier()
        self.assertEqual((change.state, change.approved_by_id), ("approved", self.executive))
        self.assertEqual(self.project.risk_class, "doubtful")

    def test_only_a_reviewer_of_the_tier_decides_a_class_change(self):
        change = self._submitted()
        for user in (self.pm_a, self.finance):
            with self.assertRaisesExactly(
                UserError,
                "You are not a reviewer of the pending approval tier of the change of class "
                "of %s." % re.escape(self.project.display_name),
            ):
                change.with_user(user).validate_tier()
            with self.assertRaisesExactly(
                UserError,
                "You are not a reviewer of the pending approval tier of the change of class "
                "of %s." % re.escape(self.project.display_name),
            ):
                change.with_user(user).reject_tier()
            with self.assertRaisesExactly(
                AccessError, "Only a risk officer or an executive can approve a change of risk "
                "class."
            ):
                change.with_user(user).action_approve()
        self.assertEqual((change.state, change.validation_status), ("submitted", "pending"))
        self.assertEqual(self.project.risk_class, "normal")

    def test_approval_waits_for_the_validated_tier(self):
        self._signal(200)
        change = self._propose()
        with self.assertRaisesExactly(
            UserError, "Only submitted classification changes can be approved."
        ):
            change.with_user(self.risk_2).action_approve()
        change.action_submit()
        with self.assertRaisesExactly(
            UserError,
            "The approval tier of the change of class of %s is not validated yet."
            % re.escape(self.project.display_name),
        ):
            change.with_user(self.risk_2).action_approve()
        with self.assertRaisesExactly(
            UserError, "Only draft classification changes can be submitted."
        ):
            change.action_submit()
        self.assertEqual(self.project.risk_class, "normal")

    def test_a_rejected_tier_refuses_the_change(self):
        change = self._submitted()
        change.with_user(self.risk_2).reject_tier()
        self.assertEqual((change.state, change.approved_by_id), ("refused", self.risk_2))
        self.assertEqual(self.project.risk_class, "normal")
        # the review stays as the record of who refused
        self.assertEqual((change.review_ids.status, change.review_ids.done_by),
                         ("rejected", self.risk_2))
        with self.assertRaisesExactly(
            UserError,
            "You are not a reviewer of the pending approval tier of the change of class of %s."
            % re.escape(self.project.display_name),
        ):
            change.with_user(self.executive).validate_tier()
        self.assertEqual(change.state, "refused")

    def test_a_submitted_change_is_frozen(self):
        change = self._submitted()
        with self.assertRaisesExactly(
            UserError,
            "%s is Submitted and can no longer be changed." % re.escape(change.display_name),
        ):
            change.with_user(self.risk).write({"new_class": "loss"})
        with self.assertRaisesExactly(
            UserError, "Only draft classification changes can be refused."
        ):
            change.with_user(self.risk_2).action_refuse()

    def test_submitting_without_an_approval_tier_is_refused(self):
        self.env.ref("guarantee_risk.tier_definition_classification").active = False
        change = self._propose()
        with self.assertRaisesExactly(
            UserError,
            "No approval tier applies to the change of class of %s: the guarantee "
            "administrator defines one \\(four eyes\\)." % re.escape(self.project.display_name),
        ):
            change.action_submit()
        self.assertEqual(change.state, "draft")

    def test_project_manager_proposes_but_cannot_decide(self):
        change = self._propose(user=self.pm_a)
        self.assertEqual(change.state, "draft")
        with self.assertRaisesExactly(
            AccessError, "Only a risk officer or an executive can approve a change of risk class"
        ):
            change.with_user(self.pm_a).action_approve()
        with self.assertRaisesExactly(
            AccessError, "Only a risk officer can decide on a change of risk class"
        ):
            change.with_user(self.pm_a).action_refuse()
        with self.assertRaisesExactly(
            UserError, "“State” of Risk Classification Change change only through its actions"
        ):
            change.with_user(self.pm_a).write({"state": "approved"})
        with self.assertRaisesExactly(
            UserError, "A classification change is created as a draft, then decided"
        ):
            self.env["guarantee.risk.classification"].with_user(self.pm_a).create(
                {
                    "project_id": self.project.id,
                    "new_class": "loss",
                    "reason": "x",
                    "state": "approved",
                }
            )
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'create' access to:\n- Risk Classification Change"
        ):
            self.env["guarantee.risk.classification"].with_user(self.pm_other).create(
                {"project_id": self.project.id, "new_class": "loss", "reason": "x"}
            )
        change.with_user(self.pm_a).action_submit()
        self.assertEqual(change.state, "submitted")
        self.assertEqual(self.project.risk_class, "normal")

    def test_decided_change_cannot_be_modified(self):
        change = self._propose()
        change.with_user(self.risk).action_refuse()
        self.assertEqual(change.state, "refused")
        with self.assertRaisesExactly(UserError, "is Refused and can no longer be changed"):
            change.with_user(self.risk).write({"reason": "改写理由"})
        # a refused change is never approved afterwards, nor born approved (issue 22)
        with self.assertRaisesExactly(UserError, "is Refused and cannot become Approved"):
            change._unlocked().write({"state": "approved"})
        self.assertEqual(change.state, "refused")
        with self.assertRaisesExactly(
            UserError, "A classification change is created as a draft, then decided.",
        ):
            self.env["guarantee.risk.classification"].sudo().create({
                "project_id": self.project.id, "new_class": "loss", "reason": "伪造",
                "state": "approved",
            })
        self.assertEqual(self.project.risk_class, "normal")

    def test_stale_proposal_is_refused(self):
        first = self._propose()
        second = self._propose()
        first.with_user(self.risk).new_class = "special"
        (first | second).action_submit()
        first.with_user(self.risk_2).validate_tier()
        with self.assertRaisesExactly(
            UserError, "changed since this proposal was made; propose again"
        ):
            second.with_user(self.risk_2).validate_tier()
        # the reviewer refuses it instead
        second.with_user(self.risk_2).reject_tier()
        self.assertEqual((second.state, self.project.risk_class), ("refused", "special"))

    def test_the_proposer_does_not_approve_the_change_of_class(self):
        """Four eyes: the risk officer who proposed a change needs another one to approve."""
        change = self._submitted(user=self.risk)
        with self.assertRaisesExactly(AccessError, "another risk officer approves it"):
            change.with_user(self.risk).validate_tier()
        with self.assertRaisesExactly(AccessError, "another risk officer approves it"):
            change.with_user(self.risk).action_approve()
        self.assertEqual(change.state, "submitted")
        self.assertEqual(self.project.risk_class, "normal")
        change.with_user(self.risk_2).validate_tier()
        self.assertEqual(self.project.risk_class, "doubtful")
        self.assertEqual(change.approved_by_id, self.risk_2)
