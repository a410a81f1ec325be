"""Contract templates as an attacker edits them (issue 23): a script saved by the guarantee
administrator does not run in the system administrator's browser, and a placeholder never
prints a secret or a field restricted by groups, whoever saved it and whoever fills it."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

CALLBACK_SECRET = "cb-secret-0123456789"
# the refusal as each user reads it (the demo users work in Chinese)
REFUSAL = {
    "zh_CN": "只能使用列出的占位符和您有权读取的字段；不允许：",
    "en_US": "may only use the listed placeholders and fields you may read; not allowed: ",
}
API_KEY = "esign-api-key-9876543210"


@tagged("post_install", "-at_install")
class TestTemplateSandbox(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.env.company, ("pm1", "gadmin", "admin"))
        cls.gadmin_user = cls.env.ref("guarantee_base.user_admin_chen")
        cls.pm1 = cls.env.ref("guarantee_base.user_pm_zhang")
        cls.admin_user = cls.env.ref("base.user_admin")
        cls.template = cls.env.ref("guarantee_contract.contract_template_entrusted")
        cls.original_body = str(cls.template.body)
        cls.provider = cls.env["guarantee.esign.provider"].create({
            "name": "测试CA", "base_url": "http://127.0.0.1:9/",
            "api_key": API_KEY, "callback_secret": CALLBACK_SECRET,
        })
        cls.customer.user_id = cls.pm1
        cls.project = cls._create_project(manager_id=cls.pm1.id, assistant_id=cls.pm_b.id)
        for step in ("accept", "start_investigation", "submit_review", "approve"):
            cls.project._do_transition(step)
        cls.contract = cls.env["guarantee.contract"].create({
            "project_id": cls.project.id, "kind": "entrusted",
            "esign_provider_id": cls.provider.id,
        })

    def _refusal(self, login, code):
        user = self.env["res.users"].search([("login", "=", login)])
        return REFUSAL[user.lang] + code

    def _refused(self, login, model, method, *args, **kwargs):
        self.rpc_login(login)
        _text, result, error = self.rpc(model, method, *args, **kwargs)
        self.assertIsNone(result)
        return error["data"]["name"], error["data"]["message"]

    def test_script_saved_by_gadmin_does_not_run_when_admin_opens_the_template(self):
        system = self.env.ref("base.group_system")
        admin_groups = self.admin_user.groups_id
        attack = (
            "fetch('/web/dataset/call_kw/res.users/write',{method:'POST',"
            "headers:{'Content-Type':'application/json'},body:JSON.stringify({jsonrpc:'2.0',"
            "method:'call',params:{model:'res.users',method:'write',args:[[%d],"
            "{groups_id:[[4,%d]]}],kwargs:{}}})});window.__pwned=1;"
        ) % (self.gadmin_user.id, system.id)
        payload = self.original_body.replace(
            "</h1>",
            '</h1><img src="x" onerror="%s"><script>%s</script>'
            '<a href="javascript:%s">条款</a><svg onload="%s"></svg>'
            % (attack, attack, attack, attack),
        )
        self.rpc_login("gadmin")
        self.rpc_ok("guarantee.contract.template", "write", self.template.ids, {"body": payload})
        self.template.invalidate_recordset()
        stored = str(self.template.body)
        for needle in ("onerror", "<script", "javascript:", "onload", "__pwned"):
            self.assertNotIn(needle, stored)
        # the placeholders stay (as the editor's tokens)
        self.assertIn('<span class="o_guarantee_placeholder" contenteditable="false" '
                      't-out="applicant.name">', stored)

        self.browser_js(
            "/odoo/action-guarantee_contract.guarantee_contract_template_action/%d"
            % self.template.id,
            """
            (async () => {
                const start = Date.now();
                while (!document.querySelector('.o_field_html') && Date.now() - start < 20000) {
                    await new Promise((resolve) => setTimeout(resolve, 200));
                }
                await new Promise((resolve) => setTimeout(resolve, 1500));
                if (!document.querySelector('.o_field_html')) {
                    console.error('the template form did not open');
                } else if (window.__pwned) {
                    console.error('the script of the template ran');
                } else if (![...document.querySelectorAll('.o_field_html .o_guarantee_placeholder')]
                        .some((token) => token.offsetWidth > 0
                              && token.getAttribute('contenteditable') === 'false'
                              && token.textContent.includes('【'))) {
                    console.error('the editor does not show the placeholders as tokens');
                } else {
                    console.log('test successful');
                }
            })();
            """,
            login="admin",
            timeout=90,
        )
        self.env.invalidate_all()
        self.assertNotIn(system, self.gadmin_user.groups_id)
        self.assertEqual(self.admin_user.groups_id, admin_groups)

    def test_no_one_may_save_a_placeholder_of_a_secret(self):
        for login in ("gadmin", "admin"):
            for expression in (
                "contract.esign_provider_id.callback_secret",
                "contract.esign_provider_id.api_key",
                "contract.create_uid.totp_secret",
                "contract.esign_provider_id.write",
            ):
                body = self.original_body.replace(
                    "</h1>", '</h1><p><t t-out="%s"/></p>' % expression
                )
                with self.subTest(login=login, expression=expression):
                    name, message = self._refused(
                        login, "guarantee.contract.template", "write", self.template.ids,
                        {"body": body},
                    )
                    self.assertEqual(name, "odoo.exceptions.ValidationError")
                    self.assertIn(self._refusal(login, 't-out="%s"' % expression), message)
        self.template.invalidate_recordset()
        self.assertEqual(str(self.template.body), self.original_body)

    def test_a_secret_placeholder_stored_by_sql_is_not_filled_for_a_project_manager(self):
        self.env.cr.execute(
            "UPDATE guarantee_contract_template SET body = %s WHERE id = %s",
            ['<div><p><t t-out="contract.esign_provider_id.callback_secret"/></p></div>',
             self.template.id],
        )
        self.env.invalidate_all()
        self.contract.template_id = self.template
        body_before = str(self.contract.body or "")
        name, message = self._refused("pm1", "guarantee.contract", "action_render",
                                      self.contract.ids)
        self.assertEqual(name, "odoo.exceptions.ValidationError")
        self.assertIn(self._refusal(
            "pm1", 't-out="contract.esign_provider_id.callback_secret"'), message)
        self.assertNotIn(CALLBACK_SECRET, message)
        self.contract.invalidate_recordset()
        self.assertEqual(str(self.contract.body or ""), body_before)
        self.assertNotIn(CALLBACK_SECRET, json.dumps(self.rpc_ok(
            "guarantee.contract", "web_read", self.contract.ids, specification={"body": {}},
        )))

    def test_placeholders_are_filled_with_the_project_managers_rights(self):
        self.rpc_login("pm1")
        self.rpc_ok("guarantee.contract", "action_render", self.contract.ids)
        self.contract.invalidate_recordset()
        self.assertIn(self.customer.name, self.contract.body)
        # a party the project manager may not read is not printed for them
        stranger = self.env["res.partner"].create({
            "name": "他人客户有限公司", "is_company": True, "is_guarantee_customer": True,
            "user_id": self.env.ref("guarantee_base.user_pm_li").id,
        })
        self.env.cr.execute("UPDATE guarantee_project SET creditor_id = %s WHERE id = %s",
                            [stranger.id, self.project.id])
        self.env.invalidate_all()
        name, message = self._refused("pm1", "guarantee.contract", "action_render",
                                      self.contract.ids)
        self.assertEqual(name, "odoo.exceptions.AccessError")
        self.assertNotIn(stranger.name, message)
        self.contract.invalidate_recordset()
        self.assertNotIn(stranger.name, self.contract.body)
