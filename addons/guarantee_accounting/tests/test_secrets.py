from urllib.parse import urlparse

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import _super_send

from odoo.addons.guarantee_base.tests.fake_servers import JsonServer
from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin

from .common import GuaranteeAccountingCase

PASSWORD = "bank-password-Xq7"
HMAC_SECRET = "hmac-secret-Zr9"
USERNAME = "bank-user-Lk3"
SECRET_FIELDS = {
    "guarantee.bank.connector": ["username", "secret", "notification_secret"],
    "guarantee.esign.provider": ["api_key", "callback_secret"],
}


@tagged("post_install", "-at_install")
class TestConnectorSecrets(GuaranteeAccountingCase, JsonRpcMixin, HttpCase):
    """Credentials of bank connectors and e-signature providers stay with administrators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connector = cls.env["guarantee.bank.connector"].create({
            "name": "建设银行直连",
            "protocol": "rest",
            "url": "http://127.0.0.1:9",
            "account_number": "33001616100059000999",
            "journal_id": cls.company.guarantee_bank_journal_id.id,
            "username": USERNAME,
            "secret": PASSWORD,
            "notification_secret": HMAC_SECRET,
        })
        cls.connector.write({"secret": PASSWORD + "-2", "notification_secret": HMAC_SECRET + "-2"})
        cls.provider = cls.env["guarantee.esign.provider"].create({
            "name": "测试CA",
            "base_url": "http://127.0.0.1:9",
            "api_key": PASSWORD + "-ca",
            "callback_secret": HMAC_SECRET + "-ca",
        })

    def _assert_no_secret(self, text):
        for secret in (PASSWORD, HMAC_SECRET, USERNAME):
            self.assertNotIn(secret, text)

    def test_creating_and_changing_a_connector_leaves_no_secret_in_the_audit_log(self):
        logs = self.env["auditlog.log"].search([
            ("model_id.model", "=", "guarantee.bank.connector"),
            ("res_id", "=", self.connector.id),
        ])
        self.assertTrue(logs, "the connector is audited")
        self.assertIn("account_number", logs.line_ids.mapped("field_name"))
        values = logs.line_ids.mapped(
            lambda line: "%s %s %s %s" % (line.old_value, line.new_value,
                                          line.old_value_text, line.new_value_text)
        )
        self._assert_no_secret(" ".join(values))
        self.assertFalse(
            {"secret", "notification_secret", "username"} & set(logs.line_ids.mapped("field_name"))
        )

    def test_purge_on_upgrade_removes_secret_lines_already_written(self):
        log = self.env["auditlog.log"].search([
            ("model_id.model", "=", "guarantee.bank.connector"),
            ("res_id", "=", self.connector.id),
        ], limit=1)
        secret_field = self.env["ir.model.fields"]._get("guarantee.bank.connector", "secret")
        line = self.env["auditlog.log.line"].create({
            "log_id": log.id, "field_id": secret_field.id, "new_value": PASSWORD,
        })
        kept = log.line_ids - line
        self.assertGreaterEqual(self.env["auditlog.rule"]._purge_restricted_lines(), 1)
        self.assertFalse(line.exists())
        self.assertEqual(kept.exists(), kept)

    def test_no_rpc_answer_to_staff_contains_a_secret(self):
        for login in ("t_finance", "t_exec", "t_risk", "t_pm_a"):
            self.rpc_login(login)
            for model, record in (("guarantee.bank.connector", self.connector),
                                  ("guarantee.esign.provider", self.provider)):
                with self.subTest(login=login, model=model):
                    self._assert_staff_sees_no_secret(model, record)

    def _assert_staff_sees_no_secret(self, model, record):
        secret_fields = SECRET_FIELDS[model]
        texts = []
        calls = [
            ("read", [record.ids], {}),
            ("search_read", [[("id", "=", record.id)]], {}),
            ("web_search_read", [[("id", "=", record.id)]], {"specification": {"name": {}}}),
            ("fields_get", [], {}),
            ("default_get", [secret_fields], {}),
            ("export_data", [record.ids, ["name"] + secret_fields], {}),
            ("read_group", [[("id", "=", record.id)], secret_fields[:1], secret_fields[:1]], {}),
            ("search_count", [[(secret_fields[0], "ilike", "secret")]], {}),
            ("onchange", [[], {}, [], {"name": {}, secret_fields[0]: {}}], {}),
        ]
        for method, args, kwargs in calls:
            text, _result, _error = self.rpc(model, method, *args, **kwargs)
            texts.append(text)
        joined = "\n".join(texts)
        self._assert_no_secret(joined)
        for name in secret_fields:
            self.assertNotIn('"%s"' % name, texts[0] + texts[1] + texts[3])
        for method, args in (
            ("read", [record.ids, secret_fields]),
            ("export_data", [record.ids, secret_fields]),
            ("search_count", [[(secret_fields[0], "=", "x")]]),
        ):
            self.assertTrue(self.rpc_denied(model, method, *args), method)

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urlparse(r.url).hostname == "127.0.0.1":
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def test_a_bank_echoing_the_credential_does_not_put_it_in_errors_or_the_call_log(self):
        def echo(method, path, headers, data):
            return 401, {}, {"error": "invalid token: %s" % headers.get("Authorization")}

        with JsonServer(echo) as server:
            self.connector.write({"url": server.url, "timeout": 10, "max_retries": 0})
            try:  # no savepoint: the call log written before the refusal is kept
                self.connector.with_user(self.finance).action_fetch_balance()
                message = None
            except UserError as error:
                message = str(error)
        self.assertIn("401", message or "")
        self._assert_no_secret(message)
        self._assert_no_secret(" ".join(self.connector.call_log_ids.mapped("message")))
        self.assertTrue(self.connector.call_log_ids)

    def test_administrator_still_reads_the_secret(self):
        self.rpc_login("admin")
        result = self.rpc_ok("guarantee.bank.connector", "read", self.connector.ids, ["secret"])
        self.assertEqual(result[0]["secret"], PASSWORD + "-2")
