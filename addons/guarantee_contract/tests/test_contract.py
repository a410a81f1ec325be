from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ContractCase


@tagged("at_install")
class TestContracts(ContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._approved_project(amount=3000000, fee_rate=1.5, margin_rate=10)
        cls.mortgage = cls._add_mortgage(cls.project)
        cls.surety = cls._add_guarantor(cls.project)

    def _sign_all(self, project):
        for contract in project.contract_ids.filtered(lambda c: c.state == "draft"):
            contract.action_send_for_signing()
            contract.action_mark_signed()

    def test_project_needs_entrusted_guarantee_and_one_counter_contract_per_counter_guarantee(self):
        self.project.with_user(self.pm_a).action_generate_contracts()
        contracts = self.project.contract_ids
        self.assertEqual(
            sorted(contracts.mapped("kind")), ["counter", "counter", "entrusted", "guarantee"]
        )
        counters = contracts.filtered(lambda c: c.kind == "counter")
        self.assertEqual(counters.collateral_id, self.mortgage | self.surety)
        self.assertEqual(
            counters.filtered(lambda c: c.collateral_id == self.surety).partner_ids, self.guarantor
        )
        self.assertEqual(
            contracts.filtered(lambda c: c.kind == "guarantee").partner_ids, self.bank
        )
        self.assertFalse(self.project.contracts_missing)
        # pressing again draws up nothing more
        self.project.action_generate_contracts()
        self.assertEqual(len(self.project.contract_ids), 4)

    def test_product_without_guarantee_contract_and_released_collateral_need_fewer(self):
        self.product.needs_guarantee_contract = False
        self.mortgage.action_release()
        kinds = [kind for kind, _c in self.project._required_contract_specs()]
        self.assertEqual(sorted(kinds), ["counter", "entrusted"])

    def test_numbers_follow_kind_and_year(self):
        self.project.action_generate_contracts()
        year = date.today().year
        by_kind = {c.kind: c.name for c in self.project.contract_ids}
        self.assertRegex(by_kind["entrusted"], r"^WT%s-\d{4}$" % year)
        self.assertRegex(by_kind["guarantee"], r"^BZ%s-\d{4}$" % year)
        self.assertRegex(by_kind["counter"], r"^FD%s-\d{4}$" % year)

    def test_body_is_drawn_up_from_the_template_with_figures_and_capitals(self):
        self.project.action_generate_contracts()
        entrusted = self.project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        self.assertIn("叁佰万元整", entrusted.body)
        self.assertIn("3,000,000.00", entrusted.body)
        self.assertIn(self.customer.name, entrusted.body)
        self.assertIn("杭州市西湖区文三路100号厂房", entrusted.body)

    def test_contract_is_refused_until_contracts_signed_fee_paid_and_margin_received(self):
        blockers = "\n".join(self.project._transition_blockers("contract"))
        self.assertIn("Entrusted Guarantee Contract", blockers)
        self.assertIn("Counter-Guarantee Contract", blockers)
        self.assertIn("fee schedule", blockers)
        self.assertIn("margin", blockers)
        with self.assertRaisesExactly(
            UserError, "These counter-guarantees must be registered first"
        ):
            self.project.action_contract()

        self.project.action_generate_contracts()
        self._sign_all(self.project)
        self.project.with_user(self.finance).action_generate_fee_schedule()
        blockers = "\n".join(self.project._transition_blockers("contract"))
        self.assertNotIn("is not signed", blockers)
        self.assertIn("upfront fee", blockers)
        with self.assertRaisesExactly(
            UserError, "These counter-guarantees must be registered first"
        ):
            self.project.action_contract()

        self.project.fee_ids.with_user(self.finance).action_mark_paid()
        margin = self.env["guarantee.margin"].with_user(self.finance).create(
            {"project_id": self.project.id, "kind": "receipt", "amount": 299999.99}
        )
        margin.action_done()
        blockers = "\n".join(self.project._transition_blockers("contract"))
        self.assertIn("below the required", blockers)
        self.assertNotIn("upfront fee", blockers)

        self.env["guarantee.margin"].with_user(self.finance).create(
            {"project_id": self.project.id, "kind": "receipt", "amount": 0.01}
        ).action_done()
        blockers = "\n".join(self.project._transition_blockers("contract"))
        for phrase in ("is not signed", "fee", "margin"):
            self.assertNotIn(phrase, blockers)

        # with the other addons' gates met too, the project is contracted
        self.mortgage.write({
            "registration_no": "浙(2026)杭州市不动产证明第0012345号",
            "registration_authority": "杭州市不动产登记中心",
            "registration_date": "2026-01-05",
        })
        (self.mortgage | self.surety).action_register()
        self._complete_documents(self.project)
        self.project.action_contract()
        self.assertEqual(self.project.state, "contracted")

    def test_contract_gates_are_met_by_the_shared_helper(self):
        self._meet_contract_gates(self.project)
        blockers = "\n".join(self.project._transition_blockers("contract"))
        for phrase in ("is not signed", "fee", "margin"):
            self.assertNotIn(phrase, blockers)
        self.assertEqual(self.project.margin_balance, self.project.margin_required)

    def test_terminated_contract_must_be_replaced(self):
        self.project.action_generate_contracts()
        self._sign_all(self.project)
        entrusted = self.project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        entrusted.action_terminate(reason="条款变更")
        self.assertIn("Entrusted", self.project.contracts_missing)
        self.assertTrue(
            any("Entrusted" in b for b in self.project._transition_blockers("contract"))
        )

    def test_text_is_frozen_once_sent_and_kept_as_signed(self):
        self.project.action_generate_contracts()
        contract = self.project.contract_ids.filtered(lambda c: c.kind == "guarantee")
        contract.action_send_for_signing()
        with self.assertRaisesExactly(
            UserError, "is Sent for Signing: “Body” can no longer be changed"
        ):
            contract.body = "<p>另一文本</p>"
        contract.action_mark_signed()
        self.assertEqual(contract.state, "signed")
        self.assertEqual(contract.signed_body, contract.body)
        self.assertEqual(len(contract.signed_sha256), 64)
        self.assertTrue(contract._verify_signed_pdf())
        with self.assertRaisesExactly(UserError, "is Signed and cannot be deleted"):
            contract.unlink()
        # signed text never returns to draft or to signing, whatever step asks (issue 22)
        for state, label in (("draft", "Draft"), ("sent", "Sent for Signing")):
            with self.assertRaisesExactly(UserError, f"is Signed and cannot become {label}."):
                contract._unlocked().write({"state": state})
        self.assertEqual(contract.state, "signed")

    def test_sending_an_empty_contract_is_refused(self):
        contract = self.env["guarantee.contract"].create(
            {"project_id": self.project.id, "kind": "entrusted", "body": False,
             "template_id": False}
        )
        contract.body = False
        with self.assertRaisesExactly(UserError, "The contract text is empty"):
            contract.action_send_for_signing()
        self.assertEqual(contract.state, "draft")

    def test_counter_contract_needs_a_counter_guarantee_of_the_project(self):
        with self.assertRaisesExactly(
            ValidationError, "A counter-guarantee contract needs its collateral or guarantor"
        ):
            self.env["guarantee.contract"].create(
                {"project_id": self.project.id, "kind": "counter"}
            )
        other = self._approved_project()
        with self.assertRaisesExactly(
            ValidationError, "The counter-guarantee must belong to the contract's project"
        ):
            self.env["guarantee.contract"].create(
                {"project_id": other.id, "kind": "counter", "collateral_id": self.mortgage.id}
            )

    def test_admin_edits_a_template_and_new_contracts_follow_it(self):
        template = self.env.ref("guarantee_contract.contract_template_guarantee")
        template.with_user(self.gadmin).body = (
            '<div><h1>保证合同</h1><p>债权人：<t t-out="creditor.name"/>，'
            '金额：<t t-out="amount_words"/>（<t t-out="amount_figures"/>）</p></div>'
        )
        self.project.action_generate_contracts()
        contract = self.project.contract_ids.filtered(lambda c: c.kind == "guarantee")
        self.assertIn("债权人：测试银行杭州分行，金额：叁佰万元整（¥3,000,000.00）", contract.body)

    def test_template_with_a_wrong_placeholder_is_reported_clearly(self):
        template = self.env.ref("guarantee_contract.contract_template_entrusted")
        with self.assertRaisesExactly(
            ValidationError,
            r"^The template 委托保证合同（标准文本） may only use the listed placeholders and "
            r'fields you may read; not allowed: t-out="project\.no_such_field"$',
        ) as caught:
            template.body = '<div><p><t t-out="project.no_such_field"/></p></div>'
        self.assertIn(template.name, str(caught.exception))

    def test_contracts_are_drawn_up_only_after_approval(self):
        draft = self._create_project()
        with self.assertRaisesExactly(
            UserError, r"Contracts are drawn up once the project is approved \("
        ):
            draft.action_generate_contracts()

    def test_project_managers_work_on_their_own_projects_contracts_only(self):
        self.project.with_user(self.pm_b).action_generate_contracts()
        Contract = self.env["guarantee.contract"]
        self.assertEqual(
            len(Contract.with_user(self.pm_a).search([("project_id", "=", self.project.id)])), 4
        )
        self.assertFalse(
            Contract.with_user(self.pm_other).search([("project_id", "=", self.project.id)])
        )
        contract = self.project.contract_ids[:1]
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Guarantee Contract'"
        ):
            contract.with_user(self.risk).write({"partner_ids": [(6, 0, [self.bank.id])]})
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to create 'Guarantee Contract Template'"
        ):
            self.env["guarantee.contract.template"].with_user(self.pm_a).create(
                {"name": "x", "kind": "entrusted", "body": "<p>x</p>"}
            )

    def test_contracts_of_another_company_are_invisible(self):
        self.project.action_generate_contracts()
        other_company = self.env["res.company"].create({"name": "另一担保公司"})
        self.risk.write({"company_ids": [(4, other_company.id)], "company_id": other_company.id})
        contracts = self.env["guarantee.contract"].with_user(self.risk).with_context(
            allowed_company_ids=[other_company.id]
        ).search([("project_id", "=", self.project.id)])
        self.assertFalse(contracts)

    def test_refusal_message_is_translated_to_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["guarantee_contract"], ["zh_CN"], overwrite=True
        )
        self.env["guarantee.margin"].create(
            {"project_id": self.project.id, "kind": "receipt", "amount": 10}
        ).action_done()
        refund = self.env["guarantee.margin"].create(
            {"project_id": self.project.id, "kind": "refund", "amount": 20}
        )
        with self.assertRaisesExactly(UserError, r"退还金额 ¥ 20\.00 超过项目") as caught:
            refund.with_context(lang="zh_CN").action_done()
        self.assertIn("超过", str(caught.exception))
