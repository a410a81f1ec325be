from odoo.tests import tagged

from .common import ContractCase

# what a template could hold when its text was stored unsanitised (before issue 23)
UNSAFE = (
    '<p>委托保证合同 <t t-out="contract.name"/></p>'
    "<script>fetch('/web/dataset/call_kw', {method: 'POST'})</script>"
    '<p><img src="x" onerror="alert(document.cookie)"/>'
    '<a href="javascript:alert(1)">点击</a></p>'
    '<iframe src="https://evil.example"></iframe>'
)


@tagged("at_install")
class TestTemplateUpgradeSanitation(ContractCase):
    """The update of guarantee_contract (post-migration 18.0.1.2.0) cleans the templates
    stored before their text was sanitised on save; what it calls is tested here on a
    template stored unsafe in SQL, as such a template was."""

    def _store(self, template, body):
        self.env.flush_all()
        self.env.cr.execute("UPDATE guarantee_contract_template SET body = %s WHERE id = %s",
                            [body, template.id])
        template.invalidate_recordset(["body"])

    def test_an_unsafe_stored_template_is_cleaned_and_a_safe_one_left(self):
        Template = self.env["guarantee.contract.template"]
        unsafe = self.env.ref("guarantee_contract.contract_template_entrusted")
        safe = self.env.ref("guarantee_contract.contract_template_guarantee")
        safe_body = safe.body
        self._store(unsafe, UNSAFE)
        self.assertIn("<script>", unsafe.body)
        cleaned = Template._guarantee_sanitize_stored_bodies()
        self.assertEqual(cleaned, unsafe)
        unsafe.invalidate_recordset(["body"])
        body = unsafe.body
        for gone in ("<script", "fetch(", "onerror", "javascript:", "<iframe", "evil.example"):
            self.assertNotIn(gone, body)
        # the text and its placeholder stay
        self.assertIn("委托保证合同", body)
        self.assertIn('t-out="contract.name"', body)
        self.assertIn("点击", body)
        self.assertEqual(safe.body, safe_body, "a clean template is not rewritten")
        self.assertIn("Unsafe HTML", unsafe.message_ids[0].body)
        # run again (an update repeated): nothing left to clean
        self.assertFalse(Template._guarantee_sanitize_stored_bodies())
