"""Cross-addon scenarios: a guarantee walks its whole life with every addon's gates in force.

Each step is taken through the same action the web client's button calls, as the user whose
role takes it, so the documents, approval tiers, committee, counter-guarantees, contracts,
fees, margins and the ledger are all really checked on the way.
"""

import base64

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.guarantee_accounting.tests.common import mark_done_by_hand
from odoo.addons.guarantee_base.tests.common import GuaranteeCase


@tagged("post_install", "-at_install")
class TestFullLifecycle(GuaranteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company._guarantee_setup_accounting()
        company.write(
            {
                "guarantee_committee_quorum": 3,
                "guarantee_committee_majority": 66.67,
                "guarantee_net_assets": 1_000_000_000,
            }
        )
        cls.members = [
            new_test_user(
                cls.env, f"t_e2e_member_{i}", groups="guarantee_base.group_guarantee_committee"
            )
            for i in range(3)
        ]
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True
        cls.env["guarantee.esign.provider"].search([]).active = False
        cls.product.write(
            {
                "committee_threshold": 2000000,
                "min_coverage_ratio": 50,
                "default_fee_rate": 1.2,
                "default_margin_rate": 10,
                "needs_guarantee_contract": True,
                "needs_counter_contracts": True,
            }
        )
        cls.intake_document = cls.env["guarantee.document.type"].create(
            {
                "name": "营业执照",
                "code": "E2E-LICENSE",
                "stage": "accept",
                "required": True,
                "product_ids": [(6, 0, cls.product.ids)],
            }
        )
        cls.env["tier.definition"].search([("model", "=", "guarantee.project")]).active = False
        cls.env["tier.definition"].create(
            {
                "model_id": cls.env["ir.model"]._get_id("guarantee.project"),
                "review_type": "group",
                "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_risk").id,
                "definition_domain": f"[('product_id', '=', {cls.product.id})]",
            }
        )
        cls.env["tier.definition"].search([("model", "=", "guarantee.compensation")]).active = False
        cls.env["tier.definition"].create(
            {
                "model_id": cls.env["ir.model"]._get_id("guarantee.compensation"),
                "review_type": "group",
                "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_executive").id,
            }
        )
        cls.evidence = cls.env["ir.attachment"].create(
            {"name": "民事判决书.pdf", "datas": base64.b64encode(b"%PDF-1.4 judgment")}
        )

    def _committee_approves(self, project):
        review = self.env["guarantee.review"].with_user(self.risk).create(
            {
                "project_id": project.id,
                "chair_id": self.members[0].id,
                "vote_ids": [(0, 0, {"member_id": member.id}) for member in self.members],
            }
        )
        review.action_start_voting()
        for member, vote in zip(self.members, ("approve", "approve", "reject")):
            review.vote_ids.filtered(lambda v, m=member: v.member_id == m).with_user(
                member
            ).write({"vote": vote, "opinion": "同意" if vote == "approve" else "反担保偏弱"})
        review.with_user(self.members[0]).action_decide()
        self.assertEqual(review.outcome, "approved", "2 of 3 reaches the 66.67% majority")

    def _counter_guarantee(self, project):
        mortgage = self.env["guarantee.collateral"].with_user(self.pm_a).create(
            {
                "project_id": project.id,
                "name": "杭州市余杭区厂房抵押",
                "kind": "mortgage",
                "asset_type": "real_estate",
                "owner_id": project.partner_id.id,
                "appraised_value": 3000000,
            }
        )
        return mortgage

    def _walk_to_active(self):
        project = self._create_project(amount=3000000, currency_id=self.cny.id)
        pm = project.with_user(self.pm_a)

        # intake: the required licence is missing, then uploaded
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - Required documents missing: "
            r"营业执照\.$",
        ):
            pm.action_accept()
        self._complete_documents(project)
        pm.action_accept()
        pm.action_start_investigation()
        pm.action_submit_review()

        # review: the risk tier and the committee both gate the approval
        with self.assertRaisesExactly(UserError, "The approval tiers are not all validated yet"):
            project.with_user(self.executive).action_approve()
        project.with_user(self.risk).validate_tier()
        with self.assertRaisesExactly(
            UserError, r"Projects of ¥ 2,000,000\.00 or more need the review committee's approval"
        ):
            project.with_user(self.executive).action_approve()
        self._committee_approves(project)
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

        # contracting: counter-guarantee, contracts, fee and margin are all gates
        with self.assertRaisesExactly(
            UserError, r"Counter-guarantee coverage 0\.00% is below the product minimum of 50\.00%"
        ):
            pm.action_contract()
        self.assertFalse(project.coverage_ratio, "no counter-guarantee yet")
        mortgage = self._counter_guarantee(project)
        mortgage.with_user(self.risk).write(
            {
                "registration_no": "浙(2026)余杭区不动产证明第0012345号",
                "registration_authority": "杭州市余杭区不动产登记中心",
                "registration_date": "2026-01-03",
            }
        )
        mortgage.with_user(self.risk).action_register()
        project.action_generate_contracts()
        contracts = project.contract_ids
        self.assertEqual(
            set(contracts.mapped("kind")), {"entrusted", "guarantee", "counter"},
            "one contract with the customer, one with the bank, one per counter-guarantee",
        )
        contracts.action_send_for_signing()
        contracts.action_mark_signed()
        project.action_generate_fee_schedule()
        with self.assertRaisesExactly(UserError, r"The upfront fee of ¥ 36,000\.00 is not paid"):
            pm.action_contract()
        project.fee_ids.filtered("is_upfront").with_user(self.finance).action_mark_paid()
        self.env["guarantee.margin"].with_user(self.finance).create(
            {"project_id": project.id, "kind": "receipt", "amount": project.margin_required}
        ).action_done()
        pm.action_contract()

        # loan release
        pm.action_activate(release_date="2026-01-05", amount=3000000)
        self.assertEqual(project.state, "active")
        self.assertEqual(project.balance, 3000000)
        self.assertEqual(project.liability_balance, 2250000, "a small enterprise at 75%")
        return project

    def test_application_to_release_through_every_gate(self):
        project = self._walk_to_active()
        margin = self.env["guarantee.margin"].with_user(self.finance).create(
            {"project_id": project.id, "kind": "refund", "amount": project.margin_balance}
        )
        margin.action_done()
        project.with_user(self.pm_a).action_release(release_date="2026-12-31")
        self.assertEqual(project.state, "released")
        self.assertEqual(project.balance, 0)
        self.assertTrue(
            all(c.state == "released" for c in project.collateral_ids),
            "counter-guarantees are released with the project",
        )
        states = project.state_log_ids.sorted("id").mapped("state")
        self.assertEqual(
            states,
            ["draft", "accepted", "investigating", "reviewing", "approved", "contracted",
             "active", "released"],
        )
        approver = project.state_log_ids.filtered(lambda log: log.state == "approved").user_id
        self.assertEqual(approver, self.executive)
        audit = self.env["auditlog.log"].search(
            [("model_id.model", "=", "guarantee.project"), ("res_id", "=", project.id)]
        )
        self.assertIn(self.pm_a, audit.user_id, "the audit trail records who changed what")

    def test_default_compensation_recovery_and_loss_to_closing(self):
        project = self._walk_to_active()
        compensation = self.env["guarantee.compensation"].create(
            {
                "project_id": project.id,
                "demand_date": "2026-09-30",
                "principal": 1000000,
                "interest": 20000,
                "bank_reference": "CUI-E2E-001",
                "evidence_ids": [(6, 0, self.evidence.ids)],
            }
        )
        compensation.with_user(self.finance).action_approve()
        self.assertEqual(compensation.state, "draft", "waiting for the executive's tier")
        compensation.with_user(self.executive).validate_tier()
        compensation.with_user(self.finance).action_approve()
        self.assertEqual(compensation.state, "approved")
        action = compensation.with_user(self.finance).action_create_payment_order()
        order = self.env["guarantee.payment.order"].browse(action["res_id"])
        mark_done_by_hand(order, self.finance)
        self.assertEqual(project.state, "compensated")
        self.assertEqual(project.balance, 0)
        self.env["guarantee.recovery"].with_user(self.finance).create(
            {
                "project_id": project.id,
                "kind": "collateral_disposal",
                "collateral_id": project.collateral_ids.id,
                "amount": 700000,
            }
        ).action_post()
        with self.assertRaisesExactly(
            UserError, r"The compensation receivable of 320000\.0 is still open: record recoveries"
        ):
            project.with_user(self.executive).action_close()
        self.env["guarantee.loss"].with_user(self.finance).create(
            {
                "project_id": project.id,
                "amount": 320000,
                "reason": "抵押物处置后仍有差额，债务人无可执行财产",
                "evidence_ids": [(6, 0, self.evidence.ids)],
            }
        ).action_post()
        project.with_user(self.executive).action_close()
        self.assertEqual(project.state, "closed")
        receivable = self.env.company.guarantee_compensation_account_id
        lines = self.env["account.move.line"].search(
            [("account_id", "=", receivable.id), ("parent_state", "=", "posted"),
             ("move_id", "in", (compensation.move_id | project.recovery_ids.move_id
                                | project.loss_ids.move_id).ids)]
        )
        self.assertAlmostEqual(sum(lines.mapped("balance")), 0.0, places=2,
                               msg="compensation receivable = 1,020,000 − 700,000 − 320,000")
