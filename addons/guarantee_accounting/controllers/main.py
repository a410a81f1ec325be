from odoo import SUPERUSER_ID, http
from odoo.http import request

from odoo.addons.guarantee_platform.models.guarantee_connector_mixin import UNAUTHENTICATED
from odoo.addons.guarantee_platform.tools.inbound import SIGNATURE_HEADER, TIMESTAMP_HEADER

MAX_ID = 2**31 - 1


class GuaranteeBankNotificationController(http.Controller):
    """Inbound bank notifications through the shared inbound verifier: HMAC-SHA256 over
    ``timestamp + "." + body`` (headers ``X-Guarantee-Timestamp`` in Unix seconds and
    ``X-Guarantee-Signature`` in hex) under the connector's notification secret."""

    @http.route(
        "/guarantee/bank/notify/<int:connector_id>",
        type="http", auth="none", methods=["POST"], csrf=False, save_session=False,
        readonly=False,
    )
    def notify(self, connector_id, **_kwargs):
        env = request.env(user=SUPERUSER_ID, su=True)
        if not 0 < connector_id <= MAX_ID:  # beyond the database's integers: no connector
            return request.make_json_response(UNAUTHENTICATED[1], status=UNAUTHENTICATED[0])
        connector = env["guarantee.bank.connector"].with_context(active_test=False).browse(
            connector_id).exists()
        body = request.httprequest.get_data() or b""
        headers = request.httprequest.headers
        if not connector._inbound_signature_ok(
            headers.get(TIMESTAMP_HEADER, ""), body, headers.get(SIGNATURE_HEADER, "")
        ):
            return request.make_json_response(UNAUTHENTICATED[1], status=UNAUTHENTICATED[0])
        connector = connector.with_company(connector.company_id)
        status, answer = connector._inbound_handle(
            body, lambda data, event: env["guarantee.bank.notification"].with_company(
                connector.company_id)._receive(connector, data, event)
        )
        return request.make_json_response(answer, status=status)
