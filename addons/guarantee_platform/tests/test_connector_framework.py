import time

from odoo_test_helper import FakeModelLoader

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import BaseCase, TransactionCase, new_test_user, tagged

from ..tools import connectors, inbound
from .common import TEST_MODELS_MODULE
from .fake_servers import JsonServer, KeepLocalTimeouts
from .refusals import RefusalAssertions


class EchoAdapter(connectors.ConnectorAdapter):
    def get(self):
        return self._call("get", lambda: connectors.http_json(self.config, "GET", "/x"))

    def post(self, request_id=None):
        return self._call(
            "post", lambda: connectors.http_json(self.config, "POST", "/x", json={}),
            request_id=request_id, safe=bool(request_id),
        )


@tagged("post_install", "-at_install")
class TestInboundSignature(BaseCase):
    def test_signature_is_the_fixed_vector_computed_outside_this_code(self):
        """The expected values were computed once with openssl, not with this code:
        printf '%s' '1767225600.<body>' | openssl dgst -sha256 -hmac '<secret>'
        (2026-01-01 00:00:00 UTC; the second body and secret in UTF-8)."""
        body = b'{"event_id":"BN-20260101-0001","type":"loan_released","amount":1000000.0}'
        expected = "31f425e83d58f3256f755a0e9a42655fbbcd766bc0fcb1eb36d0afa3470400ee"
        self.assertEqual(inbound.sign("whsec-bank-2026", "1767225600", body), expected)
        self.assertTrue(inbound.signature_valid("whsec-bank-2026", "1767225600", body,
                                                expected, now=1767225600))
        self.assertTrue(inbound.signature_valid("whsec-bank-2026", "1767225600", body,
                                                expected.upper(), now=1767225600))
        self.assertFalse(inbound.signature_valid(
            "whsec-bank-2026x", "1767225600", body, expected, now=1767225600))
        self.assertNotEqual(inbound.sign("whsec-bank-2026x", "1767225600", body), expected)
        chinese = '{"event_id":"测试-1","备注":"放款"}'.encode()
        self.assertEqual(inbound.sign("银行通知密钥", "1767225600", chinese),
                         "e07df2b2f5cfc30ed31df279b7f4a23a65d1c2babbac431e6b38598ea4688f77")

    def test_signature_over_timestamp_and_body_within_the_window(self):
        now = 1_800_000_000
        body = b'{"event_id": "E1"}'
        good = inbound.sign("s3cret", str(now), body)
        self.assertTrue(inbound.signature_valid("s3cret", str(now), body, good, now=now + 299))
        self.assertFalse(inbound.signature_valid("s3cret", str(now), body, good, now=now + 301),
                         "a captured call is useless after the window")
        self.assertFalse(inbound.signature_valid("other", str(now), body, good, now=now))
        self.assertFalse(inbound.signature_valid("s3cret", str(now + 1), body, good, now=now),
                         "the timestamp is signed: it cannot be refreshed")
        self.assertFalse(inbound.signature_valid("s3cret", str(now), body + b" ", good, now=now))
        self.assertFalse(inbound.signature_valid("", str(now), body, good, now=now))
        self.assertFalse(inbound.signature_valid("s3cret", "", body, good, now=now))


@tagged("post_install", "-at_install")
class TestAdapterRetries(KeepLocalTimeouts, BaseCase):
    def setUp(self):
        super().setUp()
        self.answers = []
        self.server = JsonServer(self._serve).start()
        self.addCleanup(self.server.stop)
        self.logs = []
        config = connectors.ConnectorConfig(url=self.server.url, secret="key", timeout=10.0,
                                            max_retries=2, backoff=0.0)
        self.adapter = EchoAdapter(config, log=lambda **values: self.logs.append(values),
                                   sleep=lambda seconds: None)

    def _serve(self, method, path, headers, data):
        status = self.answers.pop(0) if self.answers else 200
        if status == "slow":
            time.sleep(1.0)
            status = 200
        return status, {}, {"ok": True}

    def test_a_read_is_retried_after_a_5xx_or_a_timeout(self):
        self.adapter.config.timeout = 0.5  # the slow answer takes 1 s
        self.answers = [503, "slow"]
        self.assertEqual(self.adapter.get(), {"ok": True})
        self.assertEqual([log["outcome"] for log in self.logs], ["retry", "retry", "ok"])
        self.assertEqual(self.logs[0]["status_code"], 503)
        self.assertEqual(len({log["request_id"] for log in self.logs}), 1)

    def test_a_write_without_idempotency_key_is_tried_once(self):
        self.answers = [503]
        with self.assertRaises(connectors.ConnectorUnavailable):
            self.adapter.post()
        self.assertEqual(len(self.server.requests), 1, "the other side may have acted")
        self.assertEqual([log["outcome"] for log in self.logs], ["error"])

    def test_a_write_with_idempotency_key_is_retried(self):
        self.answers = [503]
        self.adapter.post(request_id="REQ-1")
        self.assertEqual(len(self.server.requests), 2)
        self.assertEqual({log["request_id"] for log in self.logs}, {"REQ-1"})

    def test_a_write_that_never_left_is_retried_even_without_idempotency_key(self):
        url = self.server.url
        self.server.stop()
        self.adapter.config.url = url
        with self.assertRaises(connectors.ConnectorNotSent):
            self.adapter.post()
        self.assertEqual([log["outcome"] for log in self.logs], ["retry", "retry", "error"],
                         "a refused connection tells that nothing reached the other side")

    def test_a_refusal_is_not_retried_and_no_secret_is_logged(self):
        self.answers = [422]
        with self.assertRaises(connectors.ConnectorRejected):
            self.adapter.get()
        self.assertEqual(len(self.server.requests), 1)
        self.assertNotIn("key", self.logs[0]["message"])

    def test_retries_are_spent_then_the_error_is_raised(self):
        self.answers = [500, 500, 500]
        with self.assertRaises(connectors.ConnectorUnavailable):
            self.adapter.get()
        self.assertEqual([log["outcome"] for log in self.logs], ["retry", "retry", "error"])


@tagged("post_install", "-at_install")
class TestInboundEvents(TransactionCase):
    def test_an_event_is_recorded_once_per_connector(self):
        Event = self.env["guarantee.connector.event"]
        # any record with a company stands in for a connector here
        connector = self.env["res.partner"].create({"name": "连接器甲"})
        first, new = Event._record_once(connector, "EVT-1", "{}")
        again, new_again = Event._record_once(connector, "EVT-1", "{}")
        self.assertTrue(new)
        self.assertFalse(new_again)
        self.assertEqual(first, again)
        other = self.env["res.partner"].create({"name": "连接器乙"})
        _event, other_new = Event._record_once(other, "EVT-1", "{}")
        self.assertTrue(other_new, "event ids are unique per connector, not globally")


@tagged("post_install", "-at_install")
class TestConnectorMixin(RefusalAssertions, TransactionCase):
    """The mixin on a small test model: one call log, one event store, secrets system-only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, TEST_MODELS_MODULE)
        cls.loader.backup_registry()
        from .service_models import PlatformTestConnector

        cls.loader.update_registry((PlatformTestConnector,))
        cls.addClassCleanup(cls.loader.restore_registry)
        cls.connector = cls.env["platform.test.connector"].create({
            "name": "测试网关", "base_url": "http://127.0.0.1:9", "api_key": "key-0001",
            "webhook_secret": "whsec-0001",
        })

    def test_a_secret_field_is_for_system_administrators_only(self):
        field = self.env["platform.test.connector"]._fields["webhook_secret"]
        self.assertEqual(field.groups, "base.group_system")
        self.assertEqual(self.env["platform.test.connector"]._fields["api_key"].groups,
                         "base.group_system")
        user = new_test_user(self.env, "platform_connector_user", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.connector.with_user(user).read(["webhook_secret"])

    def test_an_inbound_event_is_handled_once_and_logged_without_the_secret(self):
        body = b'{"event_id": "EVT-7", "note": "whsec-0001"}'
        now = str(int(time.time()))
        signature = inbound.sign("whsec-0001", now, body)
        self.assertTrue(self.connector._inbound_signature_ok(now, body, signature))
        self.assertFalse(self.connector._inbound_signature_ok(now, body, "0" * 64))
        seen = []

        def handler(data, event):
            seen.append(data["event_id"])
            return {"applied": 1}

        self.assertEqual(self.connector._inbound_handle(body, handler),
                         (200, {"result": "ok", "applied": 1}))
        self.assertEqual(self.connector._inbound_handle(body, handler),
                         (200, {"result": "duplicate"}))
        self.assertEqual(seen, ["EVT-7"], "a replay has no second effect")
        events = self.env["guarantee.connector.event"].search([
            ("res_model", "=", "platform.test.connector"), ("res_id", "=", self.connector.id)])
        self.assertEqual(events.mapped("state"), ["done"])
        self.connector.invalidate_recordset(["call_log_ids", "call_log_count"])
        logs = self.connector.call_log_ids
        self.assertEqual(sorted(logs.mapped("outcome")), ["duplicate", "ok"])
        self.assertEqual(self.connector.call_log_count, 2)

        def refuse(data, event):
            raise inbound.InboundRefused("not yours: whsec-0001")

        status, answer = self.connector._inbound_handle(b'{"event_id": "EVT-8"}', refuse)
        self.assertEqual((status, answer["result"]), (403, "refused"))
        self.connector.invalidate_recordset(["call_log_ids"])
        self.assertIn("***", self.connector.call_log_ids[0].message,
                      "the connector's own secret never reaches the call log")
        self.assertNotIn("whsec-0001", self.connector.call_log_ids[0].message)

    def _age(self, records, days):
        """Date ``records`` back by ``days`` (the retention reads ``create_date``)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE %s SET create_date = now() at time zone 'UTC' - interval '%s days' "
            "WHERE id IN %%s" % (records._table, int(days)), [tuple(records.ids)])
        records.invalidate_recordset(["create_date"])

    def test_one_cron_purges_calls_and_events_beyond_the_one_setting(self):
        Log, Event = self.env["guarantee.connector.call.log"], self.env["guarantee.connector.event"]
        # a line of the connector, in either direction and with any outcome, and an answer kept
        # for an idempotency key of another record (a partner's credential)
        partner = self.env["res.partner"].create({"name": "调用方"})
        old = (self.connector._connector_log(operation="get", outcome="ok")
               | self.connector._connector_log(operation="post", outcome="error")
               | Log._log({"res_model": "res.partner", "res_id": partner.id,
                           "direction": "inbound", "operation": "POST", "outcome": "rejected"}))
        old_events = (Event._record_once(self.connector, "EVT-OLD", "{}")[0]
                      | Event._record_once(partner, "K-OLD", None, request_hash="h")[0])
        recent = self.connector._connector_log(operation="get", outcome="ok")
        recent_event = Event._record_once(partner, "K-NEW", None, request_hash="h")[0]
        self._age(old, 366)
        self._age(old_events, 366)
        self._age(recent, 364)
        self._age(recent_event, 364)
        cron = self.env.ref("guarantee_platform.ir_cron_connector_retention")
        cron.method_direct_trigger()
        self.assertFalse(old.exists(), "365 days by default, whatever the outcome")
        self.assertFalse(old_events.exists())
        self.assertEqual(recent.exists(), recent)
        self.assertEqual(recent_event.exists(), recent_event)
        self.env["ir.config_parameter"].set_param(
            "guarantee_platform.connector_retention_days", "300")
        cron.method_direct_trigger()
        self.assertFalse(recent.exists(), "the one setting shortens both")
        self.assertFalse(recent_event.exists())

    def test_the_retention_is_never_below_thirty_days(self):
        self.env["ir.config_parameter"].set_param(
            "guarantee_platform.connector_retention_days", "1")
        line = self.connector._connector_log(operation="get", outcome="ok")
        self._age(line, 29)
        self.env["guarantee.connector.call.log"]._cron_purge()
        self.assertTrue(line.exists())
        with self.assertRaisesExactly(ValidationError,
                                      "Connector calls must be kept at least 30 days."):
            self.env["res.config.settings"].create({"guarantee_connector_retention_days": 29})

    def test_a_line_written_for_another_caller_is_masked_with_its_secrets(self):
        partner = self.env["res.partner"].create({"name": "调用方"})
        line = self.env["guarantee.connector.call.log"]._log({
            "res_model": "res.partner", "res_id": partner.id, "partner_id": partner.id,
            "direction": "inbound", "operation": "GET", "url": "/x", "status_code": 403,
            "outcome": "rejected", "error_code": "denied",
            "message": "refused token tok_12345678 from 192.0.2.1",
        }, secrets=["tok_12345678", "", "abc"])
        self.assertEqual(line.message, "refused token *** from 192.0.2.1")
        self.assertEqual((line.partner_id, line.error_code), (partner, "denied"))

    def test_an_idempotency_key_keeps_its_first_answer(self):
        Event = self.env["guarantee.connector.event"]
        caller = self.env["res.partner"].create({"name": "调用方"})
        event, is_new = Event._record_once(caller, "K-1", None, request_hash="abc")
        self.assertTrue(is_new)
        event._store_answer(201, {"project": "项目-1"})
        again, is_new = Event._record_once(caller, "K-1", None, request_hash="def")
        self.assertEqual((again, is_new), (event, False))
        self.assertEqual(again.request_hash, "abc", "the first request's fingerprint stays")
        self.assertEqual(again._stored_answer(), (201, {"project": "项目-1"}))
        self.assertEqual(again.state, "done")
