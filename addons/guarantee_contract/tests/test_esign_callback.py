import base64
import hashlib
import json
import re
import time
from types import SimpleNamespace

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer
from odoo.addons.guarantee_platform.tools import inbound
from odoo.addons.guarantee_platform.tools.inbound import sign

from .common import ContractCase

SECRET = "callback-secret-for-tests"
CONTRACT_LOGGER = "odoo.addons.guarantee_contract.models.guarantee_contract"
SIGNED_PDF = b"%PDF-1.4\n% signed by the fake CA\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestEsignCallback(ContractCase, HttpCase):
    """The signing flow against a fake CA on 127.0.0.1, callbacks over real HTTP."""

    def setUp(self):
        super().setUp()
        self.flows = []
        self.provider_down = False
        self.served_pdf = SIGNED_PDF
        self.server = JsonServer(self._provider).start()
        self.addCleanup(self.server.stop)
        self.provider = self.env["guarantee.esign.provider"].create(
            {
                "name": "测试CA",
                "base_url": self.server.url,
                "api_key": "test-key",
                "callback_secret": SECRET,
                "timeout": 5,
                "max_retries": 1,
                "backoff": 0.01,
            }
        )
        project = self._approved_project(amount=10000000)
        project.action_generate_contracts()
        self.contract = project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        self.contract.esign_provider_id = self.provider

    # ------------------------------------------------------------------ fake provider

    def _provider(self, method, path, headers, data):
        if self.provider_down:
            return 503, {}, {"error": "maintenance"}
        if method == "POST" and path == "/flows":
            self.flows.append(data)
            return 200, {}, {"flow_id": "FLOW-%d" % len(self.flows)}
        match = re.fullmatch(r"/flows/([\w-]+)/document", path)
        if method == "GET" and match:
            return 200, {"Content-Type": "application/pdf"}, self.served_pdf
        return 404, {}, {"error": "not found"}

    # ------------------------------------------------------------------ helpers

    def _send(self):
        self.contract.action_send_for_signing()
        self.assertEqual(self.contract.esign_status, "pending")
        return self.contract.esign_flow_id

    def _callback(self, status, event_id, secret=SECRET, document=SIGNED_PDF, timestamp=None,
                  **extra):
        payload = dict(
            {
                "event_id": event_id,
                "flow_id": self.contract.esign_flow_id,
                "status": status,
                "document_sha256": hashlib.sha256(document).hexdigest(),
            },
            **extra,
        )
        payload = {key: value for key, value in payload.items() if value is not None}
        return self._post(json.dumps(payload).encode(), secret, timestamp)

    def _post(self, body, secret=SECRET, timestamp=None):
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        response = self.url_open(
            "/guarantee/esign/callback",
            data=body,
            headers={"Content-Type": "application/json", "X-Guarantee-Timestamp": timestamp,
                     "X-Guarantee-Signature": sign(secret, timestamp, body)},
        )
        self.env.invalidate_all()
        return response

    def _events(self, event_id):
        return self.env["guarantee.connector.event"].search([
            ("res_model", "=", "guarantee.esign.provider"), ("res_id", "=", self.provider.id),
            ("event_id", "=", event_id),
        ])

    def _downloads(self):
        return [r for r in self.server.requests if r["method"] == "GET"]

    # ------------------------------------------------------------------ tests

    def test_a_callback_signed_as_the_fixed_vector_is_accepted_and_one_byte_off_is_not(self):
        """Body, secret, timestamp and signature written here, the signature computed once
        with openssl (not with this code): printf '%s' '1767225600.<body>' |
        openssl dgst -sha256 -hmac 'callback-secret-for-tests'; the document hash is
        sha256sum of SIGNED_PDF. The server's clock is put at the timestamp (2026-01-01
        00:00:00 UTC) so that it lies in the window."""
        self.assertEqual(self._send(), "FLOW-1")
        self.patch(inbound, "time", SimpleNamespace(time=lambda: 1767225600))
        body = (b'{"event_id":"ES-VEC-1","flow_id":"FLOW-1","status":"signed",'
                b'"document_sha256":'
                b'"6c125401c0c860ac3b6dd0a10ca09b29e63756d24ae732e44004831c28ab9ce0"}')
        signature = "8285c094271178fede620956df30c6907c30210fedc8107a79ac41011e5d1e4b"

        def post(signature):
            response = self.url_open(
                "/guarantee/esign/callback", data=body,
                headers={"Content-Type": "application/json",
                         "X-Guarantee-Timestamp": "1767225600",
                         "X-Guarantee-Signature": signature},
            )
            self.env.invalidate_all()
            return response

        forged = post("0" + signature[1:])
        self.assertEqual(forged.status_code, 401)
        self.assertEqual(self.contract.state, "sent")
        response = post(signature)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "signed")
        self.assertEqual(self.contract.state, "signed")

    def test_flow_is_created_with_the_pdf_and_every_signer(self):
        flow_id = self._send()
        self.assertEqual(flow_id, "FLOW-1")
        flow = self.flows[0]
        names = [signer["name"] for signer in flow["signers"]]
        self.assertIn(self.customer.name, names)
        self.assertIn(self.env.company.name, names)
        self.assertTrue(base64.b64decode(flow["document"]["content"]).startswith(b"%PDF"))
        self.assertEqual(self.server.requests[0]["headers"]["Authorization"], "Bearer test-key")
        log = self.provider.call_log_ids.filtered(lambda entry: entry.operation == "create_flow")
        self.assertEqual(log.outcome, "ok")
        self.assertNotIn("test-key", log.message or "")

    def test_signed_callback_downloads_and_stores_the_pdf_with_its_hash(self):
        self._send()
        response = self._callback("signed", "EVT-1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "signed")
        self.assertEqual(self.contract.state, "signed")
        self.assertEqual(self.contract.signed_sha256, hashlib.sha256(SIGNED_PDF).hexdigest())
        self.assertEqual(base64.b64decode(self.contract.signed_pdf_id.datas), SIGNED_PDF)
        self.assertEqual(self.contract.signed_body, self.contract.body)
        self.assertEqual(len(self._downloads()), 1)
        self.assertEqual(self._downloads()[0]["path"], "/flows/FLOW-1/document")

    def test_duplicate_callback_is_acknowledged_without_a_second_effect(self):
        self._send()
        self._callback("signed", "EVT-1")
        attachment = self.contract.signed_pdf_id
        messages = len(self.contract.message_ids)
        response = self._callback("signed", "EVT-1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["result"], "duplicate")
        # a new event id for the same signature is acknowledged and ignored too
        response = self._callback("signed", "EVT-2")
        self.assertEqual(response.json()["status"], "ignored")
        self.assertEqual(len(self._downloads()), 1)
        self.assertEqual(self.contract.signed_pdf_id, attachment)
        self.assertEqual(len(self.contract.message_ids), messages)

    def test_contract_in_a_provider_flow_is_not_marked_signed_by_hand(self):
        self._send()
        with self.assertRaisesExactly(
            UserError, "is being signed at the e-signature provider; its callback records the"
        ):
            self.contract.action_mark_signed(b"%PDF-1.4 scanned")
        self.assertEqual(self.contract.state, "sent")

    def test_refused_callback_returns_the_contract_to_draft(self):
        self._send()
        response = self._callback("refused", "EVT-R", reason="签署人拒签")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.contract.state, "draft")
        self.assertEqual(self.contract.esign_status, "refused")
        self.assertTrue(any("签署人拒签" in m.body for m in self.contract.message_ids))
        self.assertFalse(self._downloads())

    def test_expired_callback_returns_the_contract_to_draft(self):
        self._send()
        response = self._callback("expired", "EVT-E")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.contract.state, "draft")
        self.assertEqual(self.contract.esign_status, "expired")

    def test_bad_signature_is_rejected_without_effect(self):
        self._send()
        response = self._callback("signed", "EVT-X", secret="wrong-secret")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.contract.state, "sent")
        self.assertFalse(self._downloads())
        self.assertFalse(self._events("EVT-X"), "nothing recorded for an unproven caller")

    def test_replayed_callback_outside_the_window_is_refused(self):
        """A captured callback replayed later no longer verifies: the timestamp is signed."""
        self._send()
        response = self._callback("refused", "EVT-OLD", timestamp=time.time() - 3600)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.contract.state, "sent")
        self.assertFalse(self._events("EVT-OLD"))

    def test_probing_flow_ids_gets_the_same_answer_as_a_bad_signature(self):
        self._send()
        unknown = self._callback("signed", "EVT-P1", secret="guess", flow_id="FLOW-UNKNOWN")
        known = self._callback("signed", "EVT-P2", secret="guess")
        self.assertEqual((unknown.status_code, unknown.json()), (known.status_code, known.json()))
        self.assertEqual(unknown.status_code, 401)

    def test_archived_provider_callbacks_are_refused(self):
        self._send()
        self.provider.active = False
        response = self._callback("signed", "EVT-A")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.contract.state, "sent")
        self.assertFalse(self._downloads())

    def test_signed_without_document_hash_is_refused_and_recorded(self):
        self._send()
        response = self._callback("signed", "EVT-NOHASH", document_sha256=None)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.contract.state, "sent")
        self.assertFalse(self._downloads())
        event = self._events("EVT-NOHASH")
        self.assertEqual(event.state, "error")
        self.assertIn("SHA-256", event.message)

    def test_unknown_flow_status_or_garbage_is_refused(self):
        self._send()
        self.assertEqual(self._callback("cancelled", "EVT-U").status_code, 400)
        self.assertEqual(self._events("EVT-U").state, "error")
        self.assertEqual(self._post(b"not json").status_code, 400)
        response = self._callback("signed", "EVT-N", flow_id="FLOW-UNKNOWN")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._events("EVT-N").state, "rejected")
        self.assertEqual(self.contract.state, "sent")
        self.assertFalse(self._downloads())

    def test_provider_down_at_download_leaves_the_event_open_to_a_new_delivery(self):
        self._send()
        self.provider_down = True
        response = self._callback("signed", "EVT-D")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(self._events("EVT-D").state, "failed")
        self.assertEqual(self.contract.state, "sent")
        self.provider_down = False
        response = self._callback("signed", "EVT-D")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.contract.state, "signed")
        self.assertEqual(self._events("EVT-D").state, "done")

    @mute_logger(CONTRACT_LOGGER)
    def test_signed_file_not_matching_the_announced_hash_is_flagged(self):
        self._send()
        self.served_pdf = SIGNED_PDF + b"tampered in transit"
        response = self._callback("signed", "EVT-T")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self.contract.state, "sent")
        self.assertTrue(self.contract.is_tampered)
        self.assertTrue(any("does not match" in m.body for m in self.contract.message_ids))

    @mute_logger(CONTRACT_LOGGER)
    def test_stored_signed_file_is_verified_on_every_download(self):
        self._send()
        self._callback("signed", "EVT-1")
        self.authenticate("t_pm_a", "t_pm_a")
        response = self.url_open("/guarantee/contract/%d/signed" % self.contract.id)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, SIGNED_PDF)
        self.assertEqual(self.contract.action_download_signed()["type"], "ir.actions.act_url")

        self.contract.signed_pdf_id.datas = base64.b64encode(b"%PDF-1.4 forged")
        response = self.url_open("/guarantee/contract/%d/signed" % self.contract.id)
        self.assertEqual(response.status_code, 409)
        self.env.invalidate_all()
        self.assertTrue(self.contract.is_tampered)
        action = self.contract.action_download_signed()
        self.assertEqual(action["params"]["type"], "danger")

    def test_unavailable_provider_is_retried_logged_and_reported(self):
        self.provider_down = True
        action = self.contract.action_send_for_signing()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self.contract.esign_status, "error")
        logs = self.provider.call_log_ids.filtered(lambda entry: entry.operation == "create_flow")
        self.assertEqual(sorted(logs.mapped("attempt")), [1, 2])
        self.assertEqual(set(logs.mapped("status_code")), {503})
        self.assertEqual(len(self.server.requests), 2)
