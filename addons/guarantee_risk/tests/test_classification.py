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

    def test_risk_officer_approval_changes_the_class_and_keeps_history(self):
        self._signal(200)
        change = self._propose()
        change.with_user(self.risk_2).action_approve()
        self.assertEqual(self.project.risk_class, "doubtful")
        self.assertTrue(self.project.is_non_performing)
        self.assertEqual(change.approved_by_id, self.risk_2)
        self.assertEqual(change.state, "approved")
        self.assertEqual(self.project.classification_ids, change)

    def test_only_a_risk_officer_approves_a_class_change(self):
        change = self._propose()
        for user in (self.pm_a, self.executive, self.finance):
            with self.assertRaisesExactly(
                AccessError, "Only a risk officer can decide on a change of risk class"
            ):
                change.with_user(user).action_approve()
        self.assertEqual(self.project.risk_class, "normal")

    def test_project_manager_proposes_but_cannot_decide(self):
        change = self._propose(user=self.pm_a)
        self.assertEqual(change.state, "draft")
        with self.assertRaisesExactly(
            AccessError, "Only a risk officer can decide on a change of risk class"
        ):
            change.with_user(self.pm_a).action_approve()
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
        first.with_user(self.risk_2).action_approve()
        with self.assertRaisesExactly(
            UserError, "changed since this proposal was made; propose again"
        ):
            second.with_user(self.risk_2).action_approve()

    def test_the_proposer_does_not_approve_the_change_of_class(self):
        """Four eyes: the risk officer who proposed a change needs another one to approve."""
        self._signal(200)
        change = self._propose(user=self.risk)
        with self.assertRaisesExactly(AccessError, "another risk officer approves it"):
            change.with_user(self.risk).action_approve()
        self.assertEqual(change.state, "draft")
        self.assertEqual(self.project.risk_class, "normal")
        change.with_user(self.risk_2).action_approve()
        self.assertEqual(self.project.risk_class, "doubtful")
        self.assertEqual(change.approved_by_id, self.risk_2)
