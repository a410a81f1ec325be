import json
from urllib.parse import urlparse

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import _super_send

from odoo.addons.guarantee_base.tests.rpc import ACCESS_ERROR, JsonRpcMixin
from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer

from .common import GuaranteeAccountingCase

PASSWORD = "bank-password-Xq7"
HMAC_SECRET = "hmac-secret-Zr9"
USERNAME = "bank-user-Lk3"
SECRET_FIELDS = {
    "guarantee.bank.connector": ["username", "secret", "notification_secret"],
    "guarantee.esign.provider": ["api_key", "callback_secret"],
}
# who reads every field of the records, who reads their names (the others are refused: bank
# connectors are for finance and executives; a project manager may not read the call log of
# a signature provider)
FULL_READERS = {
    "guarantee.bank.connector": {"t_finance", "t_exec"},
    "guarantee.esign.provider": {"t_finance", "t_exec", "t_risk"},
}
NAME_READERS = {
    "guarantee.bank.connector": {"t_finance", "t_exec"},
    "guarantee.esign.provider": {"t_finance", "t_exec", "t_risk", "t_pm_a"},
}
FULL_READ_REFUSAL = {
    "guarantee.bank.connector": "You are not allowed to access 'Bank Connector'",
    "guarantee.esign.provider": "You are not allowed to access 'Connector Call Log'",
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
                    self._assert_staff_sees_no_secret(login, model, record)

    def _assert_staff_sees_no_secret(self, login, model, record):
        """Every answer the staff get leaves the credentials out, and the answers that carry
        the record really are answers (a refused call would contain no secret either)."""
        secret_fields = SECRET_FIELDS[model]
        texts = []
        for method, args in (("read", [record.ids]),
                             ("search_read", [[("id", "=", record.id)]])):
            text, rows, error = self.rpc(model, method, *args)
            texts.append(text)
            if login in FULL_READERS[model]:
                self.assertFalse(error, text[:300])
                self.assertEqual([row["name"] for row in rows], [record.name], method)
                self.assertFalse(set(secret_fields) & set(rows[0]), method)
            else:
                self.assertEqual(error["data"]["name"], ACCESS_ERROR, text[:300])
                self.assertRegex(error["data"]["message"], FULL_READ_REFUSAL[model])
        text, answer, error = self.rpc(model, "web_search_read", [("id", "=", record.id)],
                                       specification={"name": {}})
        texts.append(text)
        if login in NAME_READERS[model]:
            self.assertEqual(answer["records"], [{"id": record.id, "name": record.name}])
        else:
            self.assertEqual(error["data"]["name"], ACCESS_ERROR, text[:300])
        text, described, _error = self.rpc(model, "fields_get")
        texts.append(text)
        self.assertIn("name", described)
        self.assertFalse(set(secret_fields) & set(described))
        text, defaults, _error = self.rpc(model, "default_get", secret_fields)
        texts.append(text)
        self.assertEqual(defaults, {})
        self._assert_no_secret("\n".join(texts))
        # staff have no export right at all: the export is refused before the fields are
        self.rpc_denied("odoo.exceptions.UserError", model, "export_data",
                        record.ids, ["name"] + secret_fields,
                        match="You don't have the rights to export data")
        for method, args, kwargs in (
            ("read", [record.ids, secret_fields], {}),
            ("read_group", [[("id", "=", record.id)], secret_fields[:1], secret_fields[:1]], {}),
            ("search_count", [[(secret_fields[0], "ilike", "secret")]], {}),
            ("search_count", [[(secret_fields[0], "=", "x")]], {}),
            ("onchange", [[], {}, [], {"name": {}, secret_fields[0]: {}}], {}),
        ):
            with self.subTest(method=method):
                refusal = self.rpc_denied(ACCESS_ERROR, model, method, *args, **kwargs)
                self._assert_no_secret(json.dumps(refusal, ensure_ascii=False))

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
