from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ContractCase

ATTACK = (
    '<div><p>合同编号：<t t-out="contract.name"/></p>'
    "<t t-set=\"x\" t-value=\"project.env['res.users'].browse(2).write("
    "{'login': 'pwned', 'name': 'pwned'})\"/></div>"
)


@tagged("at_install")
class TestTemplateSecurity(ContractCase):
    """Contract templates are QWeb: only system administrators may put code in them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._approved_project(amount=3000000, fee_rate=1.5, margin_rate=10)
        cls.template = cls.env["guarantee.contract.template"]._find_for("entrusted", cls.project)
        cls.admin_user = cls.env["res.users"].browse(2)

    def test_guarantee_admin_cannot_plant_code_that_changes_the_admin_user(self):
        login, name = self.admin_user.login, self.admin_user.name
        with self.assertRaisesExactly(
            AccessError, r"Only a system administrator may put code in a contract template\. Use"
        ):
            self.template.with_user(self.gadmin).write({"body": ATTACK})
        with self.assertRaisesExactly(
            AccessError, r"Only a system administrator may put code in a contract template\. Use"
        ):
            self.env["guarantee.contract.template"].with_user(self.gadmin).create(
                {"name": "恶意模板", "kind": "entrusted", "body": ATTACK}
            )
        self.project.with_user(self.pm_a).action_generate_contracts()
        self.admin_user.invalidate_recordset()
        self.assertEqual((self.admin_user.login, self.admin_user.name), (login, name))
        self.assertNotIn("t-set", self.template.body)

    def test_calls_operators_and_env_are_code(self):
        for expression in (
            "project.env",
            "applicant.sudo",
            "applicant._name",
            "figures(amount)",
            "'%.2f' % amount",
            "user.name",
        ):
            with self.subTest(expression=expression), self.assertRaisesExactly(
                AccessError, r"Only a system administrator may put code in a contract template\."
            ):
                self.template.with_user(self.gadmin).body = (
                    '<div><t t-out="%s"/></div>' % expression
                )

    def test_guarantee_admin_edits_text_and_adds_field_placeholders(self):
        body = str(self.template.body).replace("委托保证合同</h1>", "委托保证合同（2026版）</h1>")
        body = body.replace(
            "</div>", '<p>委托人地址：<t t-out="applicant.street or \'\'"/></p></div>'
        )
        self.template.with_user(self.gadmin).body = body
        self.project.with_user(self.pm_a).action_generate_contracts()
        contract = self.project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        self.assertIn("委托保证合同（2026版）", contract.body)
        self.assertIn("叁佰万元整", contract.body)  # the shipped code kept working

    def test_system_administrator_may_write_code(self):
        self.template.with_user(self.env.ref("base.user_admin")).body = (
            "<div><p>年费率<t t-out=\"'%.2f' % fee_rate\"/>%</p></div>"
        )
        self.project.action_generate_contracts()
        contract = self.project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        self.assertIn("年费率1.50%", contract.body)


@tagged("post_install", "-at_install")
class TestSignedContractChain(ContractCase):
    """A signed contract is sealed in the integrity chain; a change by SQL is named."""

    def test_a_signed_contract_changed_by_sql_is_named_by_the_chain_check(self):
        project = self._approved_project(amount=3000000, fee_rate=1.5, margin_rate=10)
        project.action_generate_contracts()
        contract = project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        contract.action_send_for_signing()
        contract.action_mark_signed()
        self.env.cr.flush()
        Chain = self.env["guarantee.hash.chain"]
        link = Chain.search([("res_model", "=", contract._name), ("res_id", "=", contract.id)])
        self.assertEqual(link.event, "contract_signed")
        self.assertFalse(Chain._verify()[1])
        self.env.cr.execute(
            "UPDATE guarantee_contract SET signed_body = replace(signed_body, '叁佰万', '叁拾万') "
            "WHERE id = %s", [contract.id]
        )
        self.env.invalidate_all()
        _checked, broken, reason = Chain._verify()
        self.assertEqual(broken, link)
        self.assertIn(contract.name, reason)
