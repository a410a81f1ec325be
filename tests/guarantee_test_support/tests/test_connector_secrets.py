"""Connector credentials are for system administrators only (issue 23): the guarantee
administrator, who configures the connectors, reads and writes none of the bank's, the data
provider's, the SMS gateway's or the e-signature provider's secrets; one rule of the connector
framework (``secret=True``) makes it so for every connector."""

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

CREDENTIALS = {
    "guarantee.bank.connector": {"username": "bank-user-s3cr3t", "secret": "bank-pass-s3cr3t",
                                 "notification_secret": "bank-hmac-s3cr3t"},
    "guarantee.data.provider": {"api_key": "provider-key-s3cr3t",
                                "app_key": "provider-app-s3cr3t"},
    "guarantee.sms.gateway": {"api_key": "sms-key-s3cr3t", "access_key_id": "sms-akid-s3cr3t"},
    "guarantee.esign.provider": {"api_key": "esign-key-s3cr3t",
                                 "callback_secret": "esign-cb-s3cr3t"},
}


@tagged("post_install", "-at_install")
class TestConnectorSecretsSystemOnly(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        work_in_company(env, env.company, ("gadmin", "admin"))
        journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
        cls.records = {
            "guarantee.bank.connector": env["guarantee.bank.connector"].create(dict(
                CREDENTIALS["guarantee.bank.connector"], name="密钥银行直连", protocol="rest",
                url="http://127.0.0.1:9/bank", account_number="12100101048888888",
                journal_id=journal.id,
            )),
        }
        for model in ("guarantee.data.provider", "guarantee.sms.gateway",
                      "guarantee.esign.provider"):
            cls.records[model] = env[model].create(dict(
                CREDENTIALS[model], name="密钥连接器", base_url="http://127.0.0.1:9/"))

    def test_every_connector_credential_is_system_only(self):
        mixin = self.env.registry["guarantee.connector.mixin"]
        connector_models = {
            name for name, model in self.env.registry.items()
            if issubclass(model, mixin) and not model._abstract
        }
        self.assertTrue(set(CREDENTIALS) <= connector_models, connector_models)
        for model in connector_models:  # whatever the connector, its API key
            self.assertEqual(self.env[model]._fields["api_key"].groups, "base.group_system")
        for model, fields in CREDENTIALS.items():
            for name in fields:
                with self.subTest(model=model, field=name):
                    self.assertEqual(self.env[model]._fields[name].groups, "base.group_system")

    def test_the_guarantee_administrator_reads_and_writes_no_credential(self):
        self.rpc_login("gadmin")
        for model, fields in CREDENTIALS.items():
            record = self.records[model]
            with self.subTest(model=model):
                text, result, error = self.rpc(model, "read", record.ids, list(fields))
                self.assertIsNone(result)
                self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
                for name in fields:
                    self.assertIn(name, error["data"]["message"])
                text += self.rpc(model, "read", record.ids)[0]
                text += self.rpc(model, "search_read", [("id", "=", record.id)])[0]
                text += self.rpc(model, "export_data", record.ids, ["name", *fields])[0]
                for value in fields.values():
                    self.assertNotIn(value, text)
                name = next(iter(fields))
                _text, result, error = self.rpc(model, "write", record.ids, {name: "gadmin-set"})
                self.assertIsNone(result)
                self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
                record.invalidate_recordset()
                self.assertEqual(record[name], fields[name])

    def test_the_system_administrator_still_reads_them(self):
        self.rpc_login("admin")
        for model, fields in CREDENTIALS.items():
            row = self.rpc_ok(model, "read", self.records[model].ids, list(fields))[0]
            self.assertEqual({name: row[name] for name in fields}, fields)
