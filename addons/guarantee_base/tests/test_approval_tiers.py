from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestApprovalTiers(GuaranteeCase):
    """Approval tiers configured as data: by product, amount and reviewer group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        model = cls.env.ref("guarantee_base.model_guarantee_project")
        product_domain = "[('product_id', '=', %d)]" % cls.product.id
        cls.tier_risk = cls.env["tier.definition"].create(
            {
                "name": "风控初审",
                "model_id": model.id,
                "review_type": "group",
                "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_risk").id,
                "definition_domain": product_domain,
                "sequence": 20,
                "approve_sequence": True,
            }
        )
        cls.tier_executive = cls.env["tier.definition"].create(
            {
                "name": "总经理终审",
                "model_id": model.id,
                "review_type": "group",
                "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_executive").id,
                "definition_domain": "[('product_id', '=', %d), ('amount', '>=', 5000000)]"
                % cls.product.id,
                "sequence": 10,
                "approve_sequence": True,
            }
        )

    def _submitted(self, amount):
        project = self._create_project(amount=amount).with_user(self.pm_a)
        project.action_accept()
        project.action_start_investigation()
        project.action_submit_review()
        return project

    def test_project_of_5m_waits_for_risk_then_executive_tier(self):
        project = self._submitted(6000000)
        self.assertEqual(len(project.review_ids), 2)
        self.assertIn(project.validation_status, ("waiting", "pending"))
        with self.assertRaisesExactly(UserError, "The approval tiers are not all validated yet"):
            project.with_user(self.executive).action_approve()
        project.with_user(self.risk).validate_tier()
        with self.assertRaisesExactly(UserError, "The approval tiers are not all validated yet"):
            project.with_user(self.executive).action_approve()
        project.with_user(self.executive).validate_tier()
        self.assertEqual(project.validation_status, "validated")
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

    def test_project_below_5m_needs_only_the_risk_tier(self):
        project = self._submitted(4999999)
        self.assertEqual(project.review_ids.definition_id, self.tier_risk)
        project.with_user(self.risk).validate_tier()
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

    def test_project_manager_cannot_validate_the_executive_tier(self):
        project = self._submitted(6000000)
        project.with_user(self.risk).validate_tier()
        with self.assertRaisesExactly(
            UserError, "You are not a reviewer of the pending approval tiers of"
        ):
            project.with_user(self.pm_a).validate_tier()
        pending = project.review_ids.filtered(lambda r: r.status == "pending")
        self.assertEqual(pending.definition_id, self.tier_executive)

    def test_executive_cannot_skip_the_risk_tier(self):
        project = self._submitted(6000000)
        with self.assertRaisesExactly(
            UserError, "You are not a reviewer of the pending approval tiers of"
        ):
            project.with_user(self.executive).validate_tier()
        self.assertFalse(project.review_ids.filtered(lambda r: r.status == "approved"))

    def test_rejected_tier_blocks_approval_but_allows_rejection(self):
        project = self._submitted(1000000)
        project.with_user(self.risk).reject_tier()
        self.assertEqual(project.validation_status, "rejected")
        with self.assertRaisesExactly(
            UserError, "An approval tier rejected the project"
        ) as refusal:
            project.with_user(self.executive).action_approve()
        self.assertIn("rejected", str(refusal.exception))
        project.with_user(self.executive).action_reject("风控初审否决")
        self.assertEqual(project.state, "rejected")

    def test_nobody_approves_over_a_pending_tier_through_rpc(self):
        project = self._submitted(6000000)
        for user in (self.pm_a, self.executive, self.gadmin):
            with self.assertRaisesExactly(
                UserError, "The approval tiers are not all validated yet"
            ):
                project.with_user(user).action_approve()
            with self.assertRaisesExactly(
                ValidationError, "A validation process is still open for at least one record"
            ):
                project.with_user(user).write({"state": "approved"})
        self.assertEqual(project.state, "reviewing")

    def test_terms_are_frozen_while_tiers_are_open(self):
        project = self._submitted(1000000)
        with self.assertRaisesExactly(
            ValidationError, "You are not allowed to write those fields under validation"
        ):
            project.with_user(self.pm_a).write({"amount": 900000})
        project.with_user(self.executive).action_cancel("客户撤回申请")
        self.assertEqual(project.state, "cancelled")
        self.assertFalse(project.review_ids)

    def test_tier_added_after_submission_must_be_requested_before_approval(self):
        self.tier_risk.active = False
        self.tier_executive.active = False
        project = self._submitted(1000000)
        self.tier_risk.active = True
        project.invalidate_recordset(["need_validation"])
        with self.assertRaisesExactly(
            UserError, "Approval tiers apply to this project but their validation was not requested"
        ):
            project.with_user(self.executive).action_approve()
        project.with_user(self.pm_a).request_validation()
        project.with_user(self.risk).validate_tier()
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

    def test_the_approval_bar_and_its_notices_read_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["guarantee_base"], ["zh_CN"],
                                                        overwrite=True)
        project = self._submitted(6000000).with_context(lang="zh_CN")
        waiting = project.review_ids.filtered(lambda r: r.status != "pending")
        waiting.sudo().status = "waiting"
        project.invalidate_recordset(["next_review"])
        self.assertFalse(project.next_review, "nothing pending: no text, not a record's repr")
        waiting.filtered(lambda r: r.definition_id == self.tier_risk).sudo().status = "pending"
        project.invalidate_recordset(["next_review"])
        self.assertEqual(project.next_review, "下一步：风控初审")
        self.assertEqual(project.with_user(self.pm_a)._notify_created_review_body(),
                         "%s 创建了一条待审批的记录。" % self.pm_a.name)
        self.assertEqual(project.with_user(self.pm_a)._notify_requested_review_body(),
                         "%s 提交了审批请求。" % self.pm_a.name)
