import base64
import hashlib
import hmac
import json

from odoo import http
from odoo.http import request

from ..tools.esign_adapters import EsignError

SIGNATURE_HEADER = "X-Esign-Signature"
CALLBACK_STATUSES = ("signed", "refused", "expired")


class EsignController(http.Controller):
    """The CA provider's callbacks, and the checked download of signed contracts."""

    @http.route(
        "/guarantee/esign/callback", type="http", auth="public", methods=["POST"], csrf=False,
        save_session=False,
    )
    def esign_callback(self, **_kwargs):
        """Apply a signing event: signed, refused or expired.

        The body is JSON ``{event_id, flow_id, status, document_sha256, reason}``, signed with
        HMAC-SHA256 of the raw body under the provider's callback secret (hex digest in the
        ``X-Esign-Signature`` header). A repeated event is acknowledged without a second effect.
        """
        body = request.httprequest.get_data() or b""
        try:
            payload = json.loads(body)
            flow_id = str(payload["flow_id"])
            status = str(payload["status"])
        except (ValueError, KeyError, TypeError):
            return self._answer({"error": "malformed callback"}, 400)
        if status not in CALLBACK_STATUSES:
            return self._answer({"error": "unknown status"}, 400)
        contract = request.env["guarantee.contract"].sudo().search(
            [("esign_flow_id", "=", flow_id)], limit=1
        )
        if not contract or not contract.esign_provider_id:
            return self._answer({"error": "unknown flow"}, 404)
        provider = contract.esign_provider_id
        event_id = str(payload.get("event_id") or "")
        log_values = {
            "direction": "inbound",
            "operation": "callback:%s" % status,
            "contract_id": contract.id,
            "event_id": event_id or False,
            "url": request.httprequest.path,
        }
        if not self._signature_ok(provider, body):
            provider._log_call(dict(log_values, outcome="rejected", status_code=401,
                                    message="bad signature"))
            return self._answer({"error": "bad signature"}, 401)
        if event_id and request.env["guarantee.esign.log"].sudo().search_count(
            [("provider_id", "=", provider.id), ("event_id", "=", event_id),
             ("direction", "=", "inbound"), ("outcome", "=", "ok")], limit=1
        ):
            provider._log_call(dict(log_values, outcome="duplicate", status_code=200))
            return self._answer({"status": "duplicate"}, 200)
        try:
            outcome = contract._handle_provider_event(
                status, document_sha256=payload.get("document_sha256"),
                reason=payload.get("reason"),
            )
        except EsignError as error:
            provider._log_call(dict(log_values, outcome="error", status_code=502,
                                    message=str(error)))
            return self._answer({"error": "signed document unavailable"}, 502)
        code = 409 if outcome == "hash_mismatch" else 200
        provider._log_call(dict(log_values, outcome="ok" if code == 200 else "error",
                                status_code=code, message=outcome))
        return self._answer({"status": outcome}, code)

    @http.route("/guarantee/contract/<int:contract_id>/signed", type="http", auth="user")
    def download_signed(self, contract_id, **_kwargs):
        """The signed PDF, only when it still matches the SHA-256 recorded at signing."""
        contract = request.env["guarantee.contract"].browse(contract_id).exists()
        if not contract or not contract.signed_pdf_id:
            return request.not_found()
        contract.check_access("read")
        if not contract._verify_signed_pdf():
            return request.make_response(
                "The signed file does not match its SHA-256; it is flagged as tampered.",
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=409,
            )
        content = base64.b64decode(contract.signed_pdf_id.sudo().datas)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", http.content_disposition(contract.signed_pdf_id.name)),
                ("X-Content-SHA256", hashlib.sha256(content).hexdigest()),
            ],
        )

    @staticmethod
    def _signature_ok(provider, body):
        secret = provider.sudo().callback_secret or ""
        given = request.httprequest.headers.get(SIGNATURE_HEADER, "")
        if not secret or not given:
            return False
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, given.strip().lower())

    @staticmethod
    def _answer(data, status):
        return request.make_json_response(data, status=status)
