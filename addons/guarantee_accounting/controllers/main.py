import json
import time

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError
from odoo.http import request

TIMESTAMP_WINDOW = 300  # seconds a signed notification stays valid


class GuaranteeBankNotificationController(http.Controller):
    """Inbound bank notifications, signed with HMAC-SHA256 over ``timestamp + "." + body``
    (headers ``X-Guarantee-Timestamp`` in Unix seconds and ``X-Guarantee-Signature`` in hex)."""

    @http.route(
        "/guarantee/bank/notify/<int:connector_id>",
        type="http", auth="none", methods=["POST"], csrf=False, save_session=False,
        readonly=False,
    )
    def notify(self, connector_id, **_kwargs):
        env = request.env(user=SUPERUSER_ID, su=True)
        connector = env["guarantee.bank.connector"].browse(connector_id).exists()
        body = request.httprequest.get_data()
        timestamp = request.httprequest.headers.get("X-Guarantee-Timestamp", "")
        signature = request.httprequest.headers.get("X-Guarantee-Signature", "")
        if not connector or not connector._check_notification_signature(timestamp, body, signature):
            return self._answer(401, "invalid signature")
        try:
            fresh = abs(time.time() - int(timestamp)) <= TIMESTAMP_WINDOW
        except ValueError:
            fresh = False
        if not fresh:
            return self._answer(401, "stale timestamp")
        try:
            data = json.loads(body)
            notification, duplicate = env["guarantee.bank.notification"].with_company(
                connector.company_id
            )._receive(connector, data)
        except (ValueError, UserError) as error:
            return self._answer(400, str(error))
        if duplicate:
            return self._answer(200, "duplicate")
        return self._answer(200, "ok" if notification.state == "done" else "error",
                            error=notification.error or None)

    @staticmethod
    def _answer(status, result, **extra):
        payload = dict({"result": result}, **{k: v for k, v in extra.items() if v})
        return request.make_json_response(payload, status=status)
