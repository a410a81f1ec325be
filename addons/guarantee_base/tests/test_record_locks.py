import re

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import GuaranteeCase
from .locked_fields import ACTION_ONLY, locked_in

# A value for each field a project in force may lock (the issue found the terms writable
# over RPC); which fields are locked comes from the hand-written list, not the model.
VALUES = {
    "amount": 2_000_000,
    "own_share": 10.0,
    "partner_id": None,
    "creditor_id": None,
    "product_id": None,
    "currency_id": None,
    "company_id": None,
    "manager_id": None,
    "assistant_id": None,
    "issuer_rating": "AAA",
    "date_start": "2027-01-01",
    "date_end": "2027-12-31",
    "term_months": 24,
    "fee_rate": 0.1,
    "margin_rate": 0.0,
    "loan_release_date": "2026-02-02",
    "loan_amount_released": 10.0,
    "principal_repaid": 1_000_000,
    "risk_class": "loss",
    "state": "released",
    "date_state": "2031-01-01 00:00:00",
    "date_released": "2031-01-01",
    "cancel_reason": "篡改",
    "reject_reason": "篡改",
    "is_imported": True,
    "balance": 0.0,
}
IN_FORCE_LOCKED = {
    name: VALUES[name]
    for name in sorted(
        ACTION_ONLY["guarantee.project"] | locked_in("guarantee.project", "active") | {"balance"}
    )
}


class TestRecordLocks(GuaranteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.customer.copy({"name": "另一家公司", "uscc": False})
        cls.other_bank = cls.bank.copy({"name": "另一家银行"})
        cls.other_product = cls.product.copy({"name": "另一业务品种", "code": "T-OTHER"})
        cls.usd = cls.env.ref("base.USD")
        # the lock refuses the field whatever the value: another company when there is one
        cls.other_company = cls.env["res.company"].search(
            [("id", "!=", cls.env.company.id)], limit=1) or cls.env.company
        cls.env["tier.definition"].search(
            [("model", "=", "guarantee.project.extension")]
        ).active = False
        cls.env["tier.definition"].create({
            "name": "展期审批",
            "model_id": cls.env.ref("guarantee_base.model_guarantee_project_extension").id,
            "review_type": "group",
            "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_executive").id,
            "definition_domain": "[]",
        })

    def _active_project(self):
        project = self._create_project()
        for step in ("accept", "start_investigation", "submit_review", "approve", "contract"):
            project._do_transition(step)
        project.write({"loan_release_date": "2026-01-05", "loan_amount_released": 1_000_000})
        project._do_transition("activate")
        return project

    def _value(self, field, value):
        others = {
            "partner_id": self.other_customer.id,
            "creditor_id": self.other_bank.id,
            "product_id": self.other_product.id,
            "currency_id": self.usd.id,
            "company_id": self.other_company.id,
            "manager_id": self.pm_other.id,
            "assistant_id": self.pm_other.id,
        }
        return others.get(field, value)

    def test_every_term_of_a_project_in_force_is_refused_for_every_role(self):
        project = self._active_project()
        fields_ = list(IN_FORCE_LOCKED)
        before = project.read(fields_)[0]
        for user in (self.pm_a, self.executive, self.gadmin, self.env.user):
            for field, value in IN_FORCE_LOCKED.items():
                # a term is frozen by the state; the figures and the state move only by action
                refusal = "“%s”( of Guarantee Project change only through its actions| can no " \
                    "longer be changed)" % re.escape(project._fields[field].string)
                with self.subTest(user=user.login, field=field), self.assertRaisesExactly(
                    UserError, refusal
                ):
                    project.with_user(user).write({field: self._value(field, value)})
        with self.assertRaisesExactly(
            UserError, "is In Force: “Guaranteed Amount” can no longer be changed"
        ):
            project.sudo().write({"amount": 1.0})
        project.invalidate_recordset()
        self.assertEqual(project.read(fields_)[0], before, "nothing was changed")
        self.assertEqual(project.balance, 1_000_000)

    def test_roles_without_write_access_are_refused_before_the_lock(self):
        project = self._active_project()
        for user, refusal in (
            # no write right on projects at all
            (self.risk, "You are not allowed to modify 'Guarantee Project'"),
            (self.finance, "You are not allowed to modify 'Guarantee Project'"),
            # a write right, but the record rules do not let them see this project
            (self.committee, r"doesn't have 'read' access to:\n- Guarantee Project"),
            (self.pm_other, r"doesn't have 'read' access to:\n- Guarantee Project"),
        ):
            with self.subTest(user=user.login), self.assertRaisesExactly(AccessError, refusal):
                project.with_user(user).write({"amount": 1.0})

    def test_a_context_value_sent_like_rpc_does_not_unlock(self):
        project = self._active_project()
        for flag in (True, "guarantee.project", ["guarantee.project"], {"models": ["x"]}):
            with self.subTest(flag=flag), self.assertRaisesExactly(
                UserError, "“Principal Repaid” of Guarantee Project change only through its actions"
            ):
                project.with_user(self.pm_a).with_context(guarantee_unlocked=flag).write(
                    {"principal_repaid": 1_000_000}
                )
        self.assertEqual(project.principal_repaid, 0)

    def test_the_unlock_of_one_model_does_not_open_another(self):
        project = self._active_project()
        extension = self.env["guarantee.project.extension"].create(
            {"project_id": project.id, "date_end_new": "2027-06-30", "reason": "展期"}
        )
        with self.assertRaisesExactly(
            UserError, "is In Force: “Guaranteed Amount” can no longer be changed"
        ):
            project.with_env(extension._unlocked().env).write({"amount": 1.0})
        self.assertEqual(project.amount, 1_000_000)

    def test_terms_stay_editable_until_the_review(self):
        project = self._create_project()
        project.with_user(self.pm_a).write({"amount": 1_200_000, "own_share": 80.0})
        project._do_transition("accept")
        project.with_user(self.pm_a).write({"creditor_id": self.other_bank.id})
        self.assertEqual(project.amount, 1_200_000)
        self.assertEqual(project.creditor_id, self.other_bank)
        project._do_transition("start_investigation")
        project._do_transition("submit_review")
        with self.assertRaisesExactly(
            UserError, "is Under Review: “Guaranteed Amount” can no longer be changed"
        ):
            project.with_user(self.pm_a).write({"amount": 1_300_000})
        project.with_user(self.pm_a).write({"purpose": "采购原材料"})
        self.assertEqual(project.purpose, "采购原材料", "what is not a term stays editable")

    def test_loan_figures_are_entered_while_contracted_only(self):
        project = self._create_project()
        for step in ("accept", "start_investigation", "submit_review", "approve"):
            project._do_transition(step)
        with self.assertRaisesExactly(
            UserError, "is Approved: “Loan Released” can no longer be changed"
        ):
            project.with_user(self.pm_a).write({"loan_amount_released": 500_000})
        project._do_transition("contract")
        project.with_user(self.pm_a).write(
            {"loan_release_date": "2026-01-05", "loan_amount_released": 500_000}
        )
        project.with_user(self.pm_a).action_activate()
        self.assertEqual(project.state, "active")
        self.assertEqual(project.balance, 500_000)

    def test_finance_records_a_repayment_with_its_reason_in_the_chatter(self):
        project = self._active_project()
        wizard = self.env["guarantee.project.repayment.wizard"].with_user(self.finance).create(
            {"project_id": project.id, "amount": 300_000, "reason": "工行回单 NO.778"}
        )
        wizard.action_confirm()
        self.assertEqual(project.principal_repaid, 300_000)
        self.assertEqual(project.balance, 700_000)
        message = project.message_ids[0]
        self.assertIn("工行回单 NO.778", message.body)
        self.assertEqual(message.author_id, self.finance.partner_id)

    def test_only_finance_records_repayments_and_only_positive_ones(self):
        project = self._active_project()
        wizard = self.env["guarantee.project.repayment.wizard"].create(
            {"project_id": project.id, "amount": 300_000, "reason": "回单"}
        )
        with self.assertRaisesExactly(AccessError, "Only finance records repayments by hand"):
            wizard.with_user(self.pm_a).action_confirm()
        wizard.amount = -5
        with self.assertRaisesExactly(UserError, "A repayment must be positive"):
            wizard.with_user(self.finance).action_confirm()
        self.assertEqual(project.principal_repaid, 0)

    def test_a_project_in_force_cannot_be_deleted(self):
        project = self._active_project()
        with self.assertRaisesExactly(UserError, "is In Force and cannot be deleted"):
            project.sudo().unlink()
        self.assertTrue(project.exists())

    def test_an_approved_extension_is_read_only_and_moved_the_end_through_its_action(self):
        project = self._active_project()
        extension = self.env["guarantee.project.extension"].create(
            {"project_id": project.id, "date_end_new": "2027-06-30", "reason": "展期"}
        )
        extension.action_submit()
        with self.assertRaisesExactly(
            ValidationError, "You are not allowed to write those fields under validation"
        ):
            extension.write({"date_end_new": "2028-01-01"})
        extension.with_user(self.executive).validate_tier()
        extension.with_user(self.executive).action_approve()
        self.assertEqual(str(project.date_end), "2027-06-30")
        # the lock refuses the reason, which the tier validation would still let through;
        # the tier validation refuses the other fields before the lock is asked
        for vals, error, refusal in (
            ({"reason": "改"}, UserError, "is Approved and can no longer be changed"),
            ({"state": "draft"}, ValidationError,
             "You are not allowed to write those fields after validation"),
            ({"date_approved": "2020-01-01"}, ValidationError,
             "You are not allowed to write those fields after validation"),
        ):
            with self.subTest(vals=vals), self.assertRaisesExactly(error, refusal):
                extension.write(vals)
        with self.assertRaisesExactly(UserError, "is Approved and cannot be deleted"):
            extension.unlink()
