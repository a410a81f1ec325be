import hashlib
import hmac
import json
import time
from types import SimpleNamespace

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.guarantee_platform.tests.fake_servers import KeepLocalTimeouts

from ..tools import esign_v3_adapter
from ..tools.esign_v3_adapter import callback_signature, content_md5, request_signature
from .common import ContractCase
from .fake_esign import FakeEsign

CONTRACT_LOGGER = "odoo.addons.guarantee_contract.models.guarantee_contract"


@tagged("post_install", "-at_install")
class TestEsignV3(KeepLocalTimeouts, ContractCase, HttpCase):
    """A contract signed through e签宝's open API v3 (a fake platform on 127.0.0.1), its
    callback over real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platform = FakeEsign()
        cls.platform.server.start()
        cls.addClassCleanup(cls.platform.server.stop)
        cls.provider = cls.env["guarantee.esign.provider"].create({
            "name": "e签宝", "protocol": "esign_v3", "base_url": cls.platform.server.url,
            "app_id": cls.platform.app_id, "api_key": cls.platform.secret,
            "timeout": 5, "max_retries": 1, "backoff": 0.01,
        })
        project = cls._approved_project()
        project.action_generate_contracts()
        cls.contract = project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        cls.contract.esign_provider_id = cls.provider

    def setUp(self):
        super().setUp()
        self.platform.files.clear()
        self.platform.flows.clear()
        self.platform.hang = 0.0

    def _callback(self, payload, secret=None, timestamp=None):
        body = json.dumps(payload, ensure_ascii=False).encode()
        timestamp = str(timestamp or int(time.time() * 1000))
        # hex(HMAC-SHA256(AppSecret, timestamp + query + body)), computed here from the docs
        signature = hmac.new((secret or self.platform.secret).encode(),
                             timestamp.encode() + body, hashlib.sha256).hexdigest()
        response = self.url_open("/guarantee/esign/esign_v3/callback", data=body, headers={
            "Content-Type": "application/json", "X-Tsign-Open-TIMESTAMP": timestamp,
            "X-Tsign-Open-SIGNATURE": signature})
        self.env.invalidate_all()
        return response

    # ------------------------------------------------------------------ vectors

    def test_request_and_callback_signatures_match_independent_computations(self):
        """Computed with openssl, not with this code:
        printf 'POST\\n*/*\\n<md5>\\napplication/json; charset=UTF-8\\n\\n<path>' |
        openssl dgst -sha256 -hmac appSecret001 -binary | base64."""
        body = b'{"signFlowId":"abc"}'
        self.assertEqual(content_md5(body), "2COgROHjkhTDAXhLA9b/7w==")
        self.assertEqual(
            request_signature("appSecret001", "POST", "/v3/sign-flow/create-by-file",
                              "2COgROHjkhTDAXhLA9b/7w=="),
            "aWgIxYcE9wPF8pjDP6fuVEZCt4DPfA9u6HT2srCjA7Q=")
        self.assertEqual(
            request_signature("appSecret001", "GET", "/v3/sign-flow/abc/file-download-url?b=2&a=1"),
            "uL50Eahf6edYK7GmXjmwAyjwZmx9pdIlARYBiOie7RM=", "query parameters sorted")
        self.assertEqual(
            callback_signature("appSecret001", "1700000000000", "",
                               b'{"action":"SIGN_FLOW_COMPLETE"}'),
            "958ee2c74e01fc67e4e8ab631b6a523f45dc2eb1a33f4af2ae1da66bf41833ef")

    # ------------------------------------------------------------------ the flow

    def test_contract_signed_through_the_platform_with_seal_fields_at_the_pipeline_positions(self):
        self.contract.action_send_for_signing()
        self.assertEqual((self.contract.esign_status, self.contract.esign_flow_id),
                         ("pending", "flow001"))
        flow = self.platform.flows["flow001"]
        uploaded = self.platform.files[flow["docs"][0]["fileId"]]
        self.assertTrue(uploaded.startswith(b"%PDF"))
        _pdf, positions = self.contract._build_pdf_with_seals()
        self.assertEqual(len(flow["signers"]), len(positions))
        company = flow["signers"][-1]
        self.assertEqual(company["orgSignerInfo"]["orgName"], self.env.company.name)
        seal = next(p for p in positions if p["party"] == self.env.company.name)
        mm = 72 / 25.4
        position = company["signFields"][0]["normalSignFieldConfig"]["signFieldPosition"]
        self.assertEqual(position["positionPage"], str(seal["page"]))
        self.assertAlmostEqual(position["positionX"], (seal["x_mm"] + seal["size_mm"] / 2) * mm,
                               places=1)
        self.assertAlmostEqual(position["positionY"], (seal["y_mm"] + seal["size_mm"] / 2) * mm,
                               places=1)
        response = self._callback({"action": "SIGN_FLOW_COMPLETE", "signFlowId": "flow001",
                                   "signFlowStatus": 2, "statusDescription": "完成"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["code"], "200")
        self.assertEqual(self.contract.state, "signed")
        self.assertTrue(self.contract.signed_sha256)
        again = self._callback({"action": "SIGN_FLOW_COMPLETE", "signFlowId": "flow001",
                                "signFlowStatus": 2, "statusDescription": "完成"})
        self.assertEqual(again.json()["result"], "duplicate")

    def test_a_callback_signed_as_the_fixed_vector_is_accepted_and_one_byte_off_is_not(self):
        """Body, AppSecret, timestamp (ms) and signature written here, the signature computed
        once with openssl, not with this code: printf '%s' '1767225600000<body>' |
        openssl dgst -sha256 -hmac appSecret001. The server's clock is put at the timestamp
        (2026-01-01 00:00:00 UTC) so that it lies in the window."""
        self.contract.action_send_for_signing()
        self.patch(esign_v3_adapter, "time", SimpleNamespace(time=lambda: 1767225600))
        body = b'{"action":"SIGN_FLOW_COMPLETE","signFlowId":"flow001","signFlowStatus":2}'
        signature = "ee34182b6f9f0ce990000194223c60565ff6ef5947f4736c72eb6734037a7bde"

        def post(signature):
            response = self.url_open("/guarantee/esign/esign_v3/callback", data=body, headers={
                "Content-Type": "application/json", "X-Tsign-Open-TIMESTAMP": "1767225600000",
                "X-Tsign-Open-SIGNATURE": signature})
            self.env.invalidate_all()
            return response

        with mute_logger("odoo.addons.guarantee_platform.models.guarantee_connector_mixin"):
            forged = post(signature[:-1] + "0")
        self.assertEqual(forged.status_code, 401)
        self.assertEqual(self.contract.state, "sent")
        response = post(signature)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.contract.state, "signed")

    def test_a_refused_flow_returns_the_contract_to_draft(self):
        self.contract.action_send_for_signing()
        self._callback({"action": "SIGN_FLOW_COMPLETE", "signFlowId": "flow001",
                        "signFlowStatus": 7, "statusDescription": "拒签"})
        self.assertEqual((self.contract.state, self.contract.esign_status), ("draft", "refused"))

    @mute_logger("odoo.addons.guarantee_platform.models.guarantee_connector_mixin")
    def test_a_callback_not_signed_with_the_app_secret_is_refused_without_a_word(self):
        self.contract.action_send_for_signing()
        response = self._callback({"action": "SIGN_FLOW_COMPLETE", "signFlowId": "flow001",
                                   "signFlowStatus": 2}, secret="forged")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"result": "invalid signature"})
        stale = self._callback({"action": "SIGN_FLOW_COMPLETE", "signFlowId": "flow001",
                                "signFlowStatus": 2}, timestamp=int(time.time() * 1000) - 3600000)
        self.assertEqual(stale.status_code, 401)
        self.assertEqual(self.contract.state, "sent")

    @mute_logger(CONTRACT_LOGGER)
    def test_the_platform_error_code_keeps_the_contract_sent_with_the_reason(self):
        self.platform.fail_create_with = (1435002, "参数错误: orgIDCardNum 格式不正确")
        self.contract.action_send_for_signing()
        self.assertEqual((self.contract.state, self.contract.esign_status), ("sent", "error"))
        log = self.provider.call_log_ids.filtered(lambda log: log.operation == "create_flow")
        self.assertEqual(log.outcome, "error")
        self.assertIn("e签宝 1435002", log.message)

    @mute_logger(CONTRACT_LOGGER)
    def test_a_wrong_app_secret_is_refused_by_the_platform(self):
        self.provider.api_key = "not-the-secret"
        self.contract.action_send_for_signing()
        self.assertEqual(self.contract.esign_status, "error")
        self.assertIn("e签宝 401", self.provider.call_log_ids.filtered(
            lambda log: log.outcome == "error").message)
        self.assertEqual(self.platform.flows, {})

    @mute_logger(CONTRACT_LOGGER)
    def test_a_flow_creation_that_times_out_is_not_sent_again(self):
        """e签宝 takes no idempotency key: after a time-out a second request could open a
        second flow, so none is sent."""
        self.provider.write({"timeout": 0.5})
        self.platform.hang = 1.5
        self.contract.action_send_for_signing()
        self.assertEqual(self.contract.esign_status, "error")
        creates = self.provider.call_log_ids.filtered(lambda log: log.operation == "create_flow")
        self.assertEqual(creates.mapped("outcome"), ["error"])
        self.assertEqual(len(self.platform.flows), 1, "one flow at the platform, not two")
