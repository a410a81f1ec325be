import base64

from odoo.tests import new_test_user

from odoo.addons.guarantee_base.tests.common import GuaranteeCase

WALK = ["accept", "start_investigation", "submit_review", "approve", "contract"]
VOUCHER_REF = "付款凭证-0001"
VOUCHER = base64.b64encode(b"%PDF-1.4 bank voucher")


def mark_done_by_hand(order, user):
    """Mark ``order`` done by hand as the finance ``user`` with a voucher; above the company's
    limit a second finance user confirms the same voucher (four eyes)."""
    if order.with_user(user)._mark_done_by_hand(VOUCHER_REF, VOUCHER, "付款凭证.pdf"):
        return
    Users = order.env["res.users"]
    second = Users.search([("login", "=", "t_finance_2")]) or new_test_user(
        order.env, "t_finance_2", groups="guarantee_base.group_guarantee_finance")
    order.with_user(second)._mark_done_by_hand(VOUCHER_REF, False)


class GuaranteeAccountingCase(GuaranteeCase):
    """A company whose guarantee accounting is set up, and projects in any state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company._guarantee_setup_accounting()
        cls.env["tier.definition"].search([("model", "=", "guarantee.compensation")]).active = False
        cls.tier = cls.env["tier.definition"].create({
            "model_id": cls.env["ir.model"]._get_id("guarantee.compensation"),
            "review_type": "group",
            "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_executive").id,
        })
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"partner_id": cls.bank.id, "acc_number": "6222000011112222"}
        )
        cls.evidence = cls.env["ir.attachment"].create(
            {"name": "终结本次执行裁定书.pdf", "datas": base64.b64encode(b"%PDF-1.4 ruling")}
        )

    @classmethod
    def _project_in(cls, state, released=800000.0, **overrides):
        """A project moved to ``state`` along the lifecycle (the gates of other addons are
        not what these tests are about)."""
        project = cls._create_project(**overrides)
        steps = WALK[: WALK.index("contract") + 1] if state != "draft" else []
        for step in steps:
            project._do_transition(step)
        if state in ("active", "compensated"):
            project.write({"loan_release_date": "2026-01-05", "loan_amount_released": released})
            project._do_transition("activate")
        return project

    def _approved_compensation(self, project, principal=500000.0, interest=12000.0):
        compensation = self.env["guarantee.compensation"].create({
            "project_id": project.id,
            "demand_date": "2026-06-30",
            "principal": principal,
            "interest": interest,
            "bank_reference": "CUI-%s" % project.id,
            "evidence_ids": [(6, 0, self.evidence.ids)],
        })
        compensation.with_user(self.finance).action_approve()
        compensation.with_user(self.executive).validate_tier()
        compensation.with_user(self.finance).action_approve()
        return compensation

    def _paid_compensation(self, project, **amounts):
        compensation = self._approved_compensation(project, **amounts)
        action = compensation.with_user(self.finance).action_create_payment_order()
        order = self.env["guarantee.payment.order"].browse(action["res_id"])
        mark_done_by_hand(order, self.finance)
        return compensation

    def assertEntry(self, move, expected):
        """``move`` is posted, balanced, and has exactly the (account, debit, credit) lines."""
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(sum(move.line_ids.mapped("debit")),
                               sum(move.line_ids.mapped("credit")), places=2)
        actual = sorted((line.account_id.id, line.debit, line.credit) for line in move.line_ids)
        self.assertEqual(actual, sorted((a.id, d, c) for a, d, c in expected))
