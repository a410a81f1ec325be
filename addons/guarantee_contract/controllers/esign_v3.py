import functools

from odoo import _, http
from odoo.http import request

from odoo.addons.guarantee_platform.models.guarantee_connector_mixin import UNAUTHENTICATED
from odoo.addons.guarantee_platform.tools.inbound import InboundMalformed, InboundRefused

from ..tools.esign_v3_adapter import FLOW_STATUSES, callback_valid

SIGNATURE_HEADER = "X-Tsign-Open-SIGNATURE"
TIMESTAMP_HEADER = "X-Tsign-Open-TIMESTAMP"
ACKNOWLEDGED = {"code": "200", "msg": "success"}


class EsignV3Controller(http.Controller):
    """e签宝's callbacks (https://open.esign.cn/doc/opendoc/pdf-sign3/kqtd0l): signed with
    the AppSecret; every call that has not proven who it is gets the same 401."""

    @http.route("/guarantee/esign/esign_v3/callback", type="http", auth="public",
                methods=["POST"], csrf=False, save_session=False)
    def esign_v3_callback(self, **_kwargs):
        body = request.httprequest.get_data() or b""
        headers = request.httprequest.headers
        query = request.httprequest.query_string.decode()
        Provider = request.env["guarantee.esign.provider"].sudo()
        provider = next((p for p in Provider.search([("protocol", "=", "esign_v3")])
                         if callback_valid(p.api_key, headers.get(TIMESTAMP_HEADER, ""), query,
                                           body, headers.get(SIGNATURE_HEADER, ""))),
                        Provider.browse())
        if not provider:
            return request.make_json_response(UNAUTHENTICATED[1], status=UNAUTHENTICATED[0])
        status, answer = provider._inbound_handle(
            body, functools.partial(self._apply_event, provider))
        if status == 200 and answer.get("result") in ("ok", "duplicate"):
            answer = dict(ACKNOWLEDGED, **answer)
        return request.make_json_response(answer, status=status)

    @staticmethod
    def _apply_event(provider, data, _event):
        if data.get("action") != "SIGN_FLOW_COMPLETE":
            return {"status": "ignored"}  # a signer's own step: the flow is not over
        flow_id = str(data.get("signFlowId") or "")
        status = FLOW_STATUSES.get(data.get("signFlowStatus"))
        if not flow_id or not status:
            raise InboundMalformed(_("A SIGN_FLOW_COMPLETE callback needs a signFlowId and a "
                                     "final signFlowStatus (2, 3, 5 or 7)."))
        contract = request.env["guarantee.contract"].sudo().search(
            [("esign_flow_id", "=", flow_id), ("esign_provider_id", "=", provider.id)], limit=1)
        if not contract:
            raise InboundRefused(_("No signing flow %(flow)s at this provider.", flow=flow_id))
        return {"status": contract._handle_esign_v3_event(status,
                                                           data.get("statusDescription"))}
