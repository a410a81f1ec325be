"""Filing (备案) with a re-guarantor or fund on the shared connector framework.

REST interface: ``POST {base}/filings`` with ``{"request_id", "filing": {column: value}}``;
the request id is an idempotency key (sent again after a time-out, the counterparty files the
project once). The answer ``{"status": "received" | "accepted" | "refused", "reference",
"reason"}`` says whether the counterparty decided at once or later.
"""

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorAdapter,
    ConnectorMalformedResponse,
    http_json,
    register_adapter,
)

ANSWERS = ("received", "accepted", "refused")


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@register_adapter("share", "rest")
class RestShareFilingAdapter(ConnectorAdapter):
    def file(self, request_id, row):
        body = {"request_id": request_id,
                "filing": {key: _json_value(value) for key, value in row.items()}}

        def post():
            data = http_json(self.config, "POST", "/filings", json=body, headers={
                "Authorization": "Bearer %s" % (self.config.secret or ""),
                "Idempotency-Key": request_id,
            })
            if not isinstance(data, dict) or data.get("status") not in ANSWERS:
                raise ConnectorMalformedResponse(f"Not a filing answer: {str(data)[:200]}")
            return {"status": data["status"], "reference": data.get("reference") or "",
                    "reason": data.get("reason") or ""}

        return self._call("file", post, request_id=request_id,
                          url=self.config.url.rstrip("/") + "/filings")
