"""The holes of issue 23 in the signed webhooks (bank notices, e-signature callbacks), each over
real HTTP with a correct signature: a documented JSON answer, the event recorded with its reason
and a call-log line, nothing else written, never an unlogged 500.

They live beside the partner API's tests (whose fixtures have a bank connector with its
notification secret), in one class to keep the suite short."""

import json
import logging
import time
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.guarantee_platform.tools.inbound import sign

from .common import PartnerApiCase

ESIGN_SECRET = "esign-secret-for-input-tests"
MIXIN_LOGGER = "odoo.addons.guarantee_platform.models.guarantee_connector_mixin"


@tagged("post_install", "-at_install")
class TestWebhookInput(PartnerApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["guarantee.esign.provider"].create({
            "name": "测试CA", "base_url": "http://127.0.0.1:9", "api_key": "k",
            "callback_secret": ESIGN_SECRET, "timeout": 5, "max_retries": 0,
        })

    def _callback(self, body):
        if not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        response = self.opener.post(
            self.base_url() + "/guarantee/esign/callback", data=body, timeout=30,
            headers={"Content-Type": "application/json", "X-Guarantee-Timestamp": timestamp,
                     "X-Guarantee-Signature": sign(ESIGN_SECRET, timestamp, body)})
        self.env.invalidate_all()
        return response

    def _event(self, connector, event_id):
        return self.env["guarantee.connector.event"].search([
            ("res_model", "=", connector._name), ("res_id", "=", connector.id),
            ("event_id", "=", event_id)])

    def _notice(self, **values):
        return json.dumps(dict({"event_id": "E-IN", "type": "repayment",
                                "project": self.project.name, "amount": 1000}, **values))

    def assertRefused(self, response, status=400, result="error"):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.json()["result"], result, response.text)
        return response.json()["error"]

    # ------------------------------------------------------------------ bank notices

    def test_non_finite_numbers_in_a_notice_are_refused_and_recorded(self):
        before = self._written()
        for index, amount in enumerate(["NaN", "Infinity", "-Infinity", "1e309",
                                        "123456789012345678901234567890"]):
            body = self._notice(event_id="E-NUM-%s" % index, amount="@@").replace(
                '"@@"', amount).encode()
            self.assertIn("number", self.assertRefused(self._notify(body)))
        self.assertOnlyLogged(before, api_calls=0, events=5, connector_calls=5)
        self.assertEqual(self.project.principal_repaid, 0)
        events = self.env["guarantee.connector.event"].search([], limit=5)
        self.assertTrue(all(event.event_id.startswith("sha256:") for event in events),
                        "a body that cannot be read is recorded under its SHA-256")
        self.assertEqual(set(events.mapped("state")), {"error"})

    def test_amounts_and_days_out_of_bounds_are_refused(self):
        before = self._written()
        bodies = [
            self._notice(event_id="E-B1", amount=1e300),
            self._notice(event_id="E-B2", amount="NaN"),
            self._notice(event_id="E-B3", amount=True),
            self._notice(event_id="E-B4", type="overdue", date="2026-08-15",
                         days_overdue=10**12),
            self._notice(event_id="E-B5", type="overdue", date="2026-08-15",
                         days_overdue="4.5"),
            self._notice(event_id="E-B6", type="overdue", date="0001-01-01", days_overdue=3),
            self._notice(event_id="E-B7", project={"name": self.project.name}),
        ]
        for body in bodies:
            self.assertRefused(self._notify(body.encode()))
        self.assertOnlyLogged(before, api_calls=0, events=len(bodies),
                              connector_calls=len(bodies))
        self.assertEqual(self._event(self.connector, "E-B4").message,
                         "The days overdue 1000000000000 are not a whole number from 0 to "
                         "36500.")

    def test_deep_nesting_and_invalid_text_are_refused(self):
        before = self._written()
        bodies = [
            b'{"event_id": "E-D1", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}",
            b'{"event_id": "E-D2", "x": ' + b"[" * 100000 + b"}",
            b'{"event_id": "E-D3", "type": "repayment", "project": "\\u0000"}',
            b'{"event_id": "E-D4", "type": "repayment", "project": "\\ud800"}',
            b'{"event_id": "E-D5\x00", "type": "repayment"}',
            b"\x00\xff\xfe",
        ]
        for body in bodies:
            self.assertRefused(self._notify(body))
        self.assertOnlyLogged(before, api_calls=0, events=len(bodies),
                              connector_calls=len(bodies))
        self.assertTrue(self.env["guarantee.connector.event"].search(
            [("payload", "=like", "\ufffd%")], limit=1), "the NUL byte is not stored")

    def test_an_event_id_over_128_characters_is_refused_not_cut(self):
        self.assertEqual(self._notify(self._notice(event_id="E" * 128).encode()).json()[
            "result"], "ok")
        before = self._written()
        error = self.assertRefused(self._notify(
            self._notice(event_id="E" * 128 + "-2", amount=2000).encode()))
        self.assertEqual(error, "The event id is longer than 128 characters.")
        self.assertOnlyLogged(before, api_calls=0, events=1, connector_calls=1)
        self.assertEqual(self.project.principal_repaid, 1000, "not answered duplicate")
        self.assertRefused(self._notify(self._notice(event_id=["E-LIST"]).encode()))

    def test_a_connector_id_beyond_the_databases_integers_gets_the_401(self):
        before = self._written()
        response = self._notify(self._notice().encode(),
                                path="/guarantee/bank/notify/99999999999999999999")
        self.assertEqual((response.status_code, response.json()),
                         (401, {"result": "invalid signature"}))
        response = self._notify(self._notice().encode(),
                                headers={"X-Guarantee-Signature": "é" * 64})
        self.assertEqual(response.status_code, 401)
        self.assertOnlyLogged(before, api_calls=0)

    def test_a_business_refusal_is_answered_and_logged(self):
        with self.assertLogs(MIXIN_LOGGER, logging.INFO) as logs:
            response = self._notify(self._notice(event_id="E-ACT", type="loan_released",
                                                 date="2026-02-01").encode())
        self.assertIn("can become In Force only from", self.assertRefused(response, 200))
        self.assertIn("E-ACT refused (200)", logs.output[0])
        self.assertEqual(self._event(self.connector, "E-ACT").state, "error")

    def test_an_unexpected_failure_is_logged_answered_500_and_open_to_redelivery(self):
        notification = type(self.env["guarantee.bank.notification"])
        before = self._written()
        with patch.object(notification, "_apply_repayment", side_effect=ZeroDivisionError), \
                self.assertLogs(MIXIN_LOGGER, logging.ERROR) as logs:
            response = self._notify(self._notice(event_id="E-CRASH").encode())
        self.assertEqual(self.assertRefused(response, 500, "retry later"),
                         "An unexpected error occurred; it was logged.")
        self.assertIn("ZeroDivisionError", "\n".join(logs.output))
        self.assertOnlyLogged(before, api_calls=0, events=1, connector_calls=1)
        self.assertEqual(self._event(self.connector, "E-CRASH").state, "failed")
        again = self._notify(self._notice(event_id="E-CRASH").encode())
        self.assertEqual(again.json()["result"], "ok", "a failed event may be delivered again")
        self.assertEqual(self.project.principal_repaid, 1000)

    # ------------------------------------------------------------------ e-sign callbacks

    def test_callbacks_out_of_bounds_are_refused_and_recorded(self):
        before = self._written()
        bodies = [
            b'{"event_id": "C-1", "flow_id": "F", "status": "signed", "x": NaN}',
            b'{"event_id": "C-2", "flow_id": "F", "status": "signed", "x": 1e309}',
            b'{"event_id": "C-3", "x": ' + b"{\"a\": " * 1000 + b"1" + b"}" * 1000 + b"}",
            b'{"event_id": "C-4", "flow_id": "F", "status": "refused", "reason": "a\\u0000"}',
            b'{"event_id": "C-5", "flow_id": "\\udc00", "status": "refused"}',
            json.dumps({"event_id": "C-6", "flow_id": "F", "status": "signed",
                        "document_sha256": {"a": 1}}).encode(),
            json.dumps({"event_id": "C-7", "flow_id": ["F"], "status": "expired"}).encode(),
            json.dumps({"event_id": "C-8", "flow_id": "F", "status": "refused",
                        "reason": ["x"]}).encode(),
            json.dumps({"event_id": "C" * 129, "flow_id": "F", "status": "expired"}).encode(),
        ]
        for body in bodies:
            self.assertRefused(self._callback(body))
        self.assertOnlyLogged(before, api_calls=0, events=len(bodies),
                              connector_calls=len(bodies))
        self.assertEqual(self._event(self.provider, "C-6").state, "error")
