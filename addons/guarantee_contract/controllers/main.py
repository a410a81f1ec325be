import base64
import functools
import hashlib
import re

from odoo import _, http
from odoo.http import request

from odoo.addons.guarantee_platform.models.guarantee_connector_mixin import UNAUTHENTICATED
from odoo.addons.guarantee_platform.tools.inbound import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    InboundMalformed,
    InboundRefused,
)

CALLBACK_STATUSES = ("signed", "refused", "expired")
MAX_FLOW_ID = 128
MAX_REASON = 2000
SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")


class EsignController(http.Controller):
    """The CA provider's callbacks, and the checked download of signed contracts."""

    @http.route(
        "/guarantee/esign/callback", type="http", auth="public", methods=["POST"], csrf=False,
        save_session=False,
    )
    def esign_callback(self, **_kwargs):
        """Apply a signing event: signed, refused or expired.

        The body is JSON ``{event_id, flow_id, status, document_sha256, reason}``, signed by
        the shared inbound verifier (HMAC-SHA256 of timestamp + "." + body under the
        provider's callback secret). Until the signature of an active provider is proven,
        every call gets the same 401, whatever its flow id; a replayed event id is
        acknowledged without a second effect.
        """
        body = request.httprequest.get_data() or b""
        headers = request.httprequest.headers
        Provider = request.env["guarantee.esign.provider"].sudo()
        provider = Provider._inbound_authenticate(
            Provider.search([("callback_secret", "!=", False)]),
            headers.get(TIMESTAMP_HEADER, ""), body, headers.get(SIGNATURE_HEADER, ""),
        )
        if not provider:
            return request.make_json_response(UNAUTHENTICATED[1], status=UNAUTHENTICATED[0])
        status, answer = provider._inbound_handle(
            body, functools.partial(self._apply_callback, provider)
        )
        return request.make_json_response(answer, status=status)

    @staticmethod
    def _apply_callback(provider, data, _event):
        flow_id = data.get("flow_id")
        if isinstance(flow_id, int) and not isinstance(flow_id, bool):
            flow_id = str(flow_id)
        status = data.get("status")
        if (not isinstance(flow_id, str) or not flow_id or len(flow_id) > MAX_FLOW_ID
                or status not in CALLBACK_STATUSES):
            raise InboundMalformed(_("A callback needs a flow_id and a status among signed, "
                                     "refused and expired."))
        document_sha256 = data.get("document_sha256")
        if status == "signed" and not (isinstance(document_sha256, str)
                                       and SHA256_HEX.fullmatch(document_sha256)):
            raise InboundMalformed(_("A signed event needs the SHA-256 of the signed document."))
        reason = data.get("reason")
        if reason is not None and not (isinstance(reason, str) and len(reason) <= MAX_REASON):
            raise InboundMalformed(_("The reason must be a text of at most %(max)s characters.",
                                     max=MAX_REASON))
        contract = request.env["guarantee.contract"].sudo().search(
            [("esign_flow_id", "=", flow_id), ("esign_provider_id", "=", provider.id)], limit=1
        )
        if not contract:
            raise InboundRefused(_("No signing flow %(flow)s at this provider.", flow=flow_id))
        outcome = contract._handle_provider_event(
            status, document_sha256=document_sha256 if status == "signed" else None,
            reason=reason,
        )
        return {"status": outcome, "status_code": 409 if outcome == "hash_mismatch" else 200}

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
