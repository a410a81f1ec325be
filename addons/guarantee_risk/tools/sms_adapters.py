"""REST SMS gateway on the shared framework: ``POST {base}/sms`` with
``{"request_id", "number", "content"}``; the request id is an idempotency key, so a retry
after a time-out never sends the text twice."""

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorAdapter,
    ConnectorRejected,
    http_json,
    register_adapter,
)


@register_adapter("sms", "rest")
class RestSmsAdapter(ConnectorAdapter):
    def send(self, request_id, number, content):
        def post():
            data = http_json(self.config, "POST", "/sms", json={
                "request_id": request_id, "number": number, "content": content,
            }, headers={"Authorization": "Bearer %s" % (self.config.secret or ""),
                        "Idempotency-Key": request_id})
            if not isinstance(data, dict) or data.get("status") != "accepted":
                raise ConnectorRejected(f"SMS refused: {str(data)[:200]}")
            return data.get("message_id") or ""

        return self._call("send_sms", post, request_id=request_id, url=self.config.url)
