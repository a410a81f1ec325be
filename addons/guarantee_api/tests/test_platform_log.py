"""The partner API keeps no log or idempotency store of its own: its calls are lines of the
platform's call log and the answers to its writes events of the platform's event store, under
the key, purged with every connector's by the one retention."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_accounting.tests.common import GuaranteeAccountingCase

from .common import API_KEY, PartnerApiCalls

ROOT = "/api/guarantee/v1"


@tagged("post_install", "-at_install")
class TestPartnerApiInPlatformLog(PartnerApiCalls, GuaranteeAccountingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connector = cls._bank_notice_connector()
        cls.key, cls.secret = cls._new_key(
            name="测试银行接口", partner_id=cls.bank.id, partner_kind="bank",
            bank_connector_id=cls.connector.id, scope_applications=True)
        cls.project = cls._project_in("active", released=800000.0)

    def _key_calls(self):
        return self.env["guarantee.connector.call.log"].search(
            [("res_model", "=", API_KEY), ("res_id", "=", self.key.id)])

    def _age(self, records, days):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE %s SET create_date = now() at time zone 'UTC' - interval '%s days' "
            "WHERE id IN %%s" % (records._table, int(days)), [tuple(records.ids)])
        records.invalidate_recordset(["create_date"])

    def test_a_call_is_one_line_of_the_platform_log_with_its_key_and_status(self):
        before = self._key_calls()
        response = self._call("GET", "/projects/%s" % self.project.name, self.secret)
        self.assertEqual(response.status_code, 200, response.text)
        line = self._key_calls() - before
        self.assertEqual(len(line), 1)
        self.assertEqual(
            (line.connector_name, line.partner_id, line.company_id, line.direction,
             line.operation, line.url, line.remote_addr, line.status_code, line.outcome,
             line.record_model, line.record_id),
            ("测试银行接口", self.bank, self.key.company_id, "inbound", "GET",
             "%s/projects/%s" % (ROOT, self.project.name), "127.0.0.1", 200, "ok",
             "guarantee.project", self.project.id))
        refused = self._call("GET", "/projects/NO-SUCH", self.secret)
        self.assertEqual(refused.status_code, 404, refused.text)
        last = self._key_calls()[0]
        self.assertEqual((last.status_code, last.outcome, last.error_code),
                         (404, "rejected", "not_found"))
        # the key form's Calls button: the platform log on this key
        self.key.invalidate_recordset(["call_count"])
        self.assertEqual(self.key.call_count, len(before) + 2)
        action = self.key.action_view_calls()
        self.assertEqual(action["res_model"], "guarantee.connector.call.log")
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]),
                         self._key_calls())

    def test_a_replay_answers_the_same_and_is_stored_once(self):
        first = self._call("POST", "/applications", self.secret, self._application(), "K-P1")
        self.assertEqual(first.status_code, 201, first.text)
        again = self._call("POST", "/applications", self.secret, self._application(), "K-P1")
        self.assertEqual((again.status_code, again.content), (201, first.content))
        stored = self.env["guarantee.connector.event"].search(
            [("res_model", "=", API_KEY), ("res_id", "=", self.key.id)])
        self.assertEqual(len(stored), 1)
        self.assertEqual((stored.event_id, stored.state, stored.status_code),
                         ("K-P1", "done", 201))
        self.assertEqual(json.loads(stored.response), first.json())
        calls = self._key_calls()[:2]
        self.assertEqual(calls.mapped("outcome"), ["duplicate", "ok"])
        self.assertEqual(calls.mapped("request_id"), ["K-P1", "K-P1"])

    def test_the_one_retention_purges_api_and_connector_calls_together(self):
        self._call("POST", "/applications", self.secret, self._application(), "K-OLD")
        old_api = self._key_calls()
        old_answer = self.env["guarantee.connector.event"].search(
            [("res_model", "=", API_KEY), ("res_id", "=", self.key.id)])
        old_connector = self.connector._connector_log(operation="transfer", outcome="error")
        recent_connector = self.connector._connector_log(operation="transfer", outcome="ok")
        self.assertEqual((len(old_api), len(old_answer)), (1, 1))
        self._age(old_api | old_connector, 400)
        self._age(old_answer, 400)
        self._age(recent_connector, 100)
        self.assertEqual(self._call("GET", "/projects", self.secret).status_code, 200)
        recent_api = self._key_calls()[0]
        self.env.ref("guarantee_platform.ir_cron_connector_retention").method_direct_trigger()
        self.assertFalse((old_api | old_connector).exists())
        self.assertFalse(old_answer.exists())
        self.assertEqual((recent_api | recent_connector).exists(),
                         recent_api | recent_connector)
