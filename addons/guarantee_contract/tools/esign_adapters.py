"""E-signature (CA) adapters on the shared connector framework.

The business code calls ``create_flow(request_id, title, pdf, signers)`` and
``download(flow_id)``; time-outs, retries and the call log come from
``guarantee_platform.tools.connectors``.
"""

import base64

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorAdapter,
    ConnectorMalformedResponse,
    http_json,
    register_adapter,
)


@register_adapter("esign", "rest")
class RestEsignAdapter(ConnectorAdapter):
    """A REST/JSON provider: ``POST /flows`` and ``GET /flows/<id>/document``, bearer key."""

    def _headers(self, **extra):
        return dict({"Authorization": "Bearer %s" % (self.config.secret or "")}, **extra)

    def create_flow(self, request_id, title, pdf, signers):
        """Open a signing flow for ``pdf``; the provider's flow id.

        The request id travels as an idempotency key, so a retry after a time-out opens no
        second flow.
        """
        payload = {
            "request_id": request_id,
            "title": title,
            "document": {"name": "%s.pdf" % title, "content": base64.b64encode(pdf).decode()},
            "signers": signers,
        }

        def send():
            data = http_json(self.config, "POST", "/flows", json=payload,
                             headers=self._headers(**{"Idempotency-Key": request_id}))
            try:
                return str(data["flow_id"])
            except (KeyError, TypeError):
                raise ConnectorMalformedResponse("malformed answer to the flow creation") from None

        return self._call("create_flow", send, request_id=request_id, url=self.config.url)

    def download(self, flow_id):
        """The bytes of the signed PDF of ``flow_id``."""
        path = "/flows/%s/document" % flow_id
        return self._call(
            "download",
            lambda: http_json(self.config, "GET", path, headers=self._headers(), raw=True).content,
            url=self.config.url + path,
        )
