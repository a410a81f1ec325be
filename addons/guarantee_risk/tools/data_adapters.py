"""Registry / court / tax data providers (企查查, 天眼查 and the like) on the shared framework.

REST interface: ``GET {base}/companies/{uscc}`` answers the company's profile as JSON; the
provider's own key names are mapped by the provider record's field mapping.
"""

from urllib.parse import quote

from odoo.addons.guarantee_base.tools.connectors import (
    ConnectorAdapter,
    ConnectorMalformedResponse,
    http_json,
    register_adapter,
)

from .registry_profile import MalformedProfile, normalize


@register_adapter("data", "rest")
class RestDataProviderAdapter(ConnectorAdapter):
    def company_profile(self, uscc):
        """The normalized profile of the company ``uscc`` (a read: retried when it fails)."""
        path = "/companies/%s" % quote(uscc, safe="")

        def fetch():
            raw = http_json(self.config, "GET", path, headers={
                "Authorization": "Bearer %s" % (self.config.secret or ""),
            })
            try:
                return normalize(raw, (self.config.options or {}).get("mapping"))
            except MalformedProfile as error:
                raise ConnectorMalformedResponse(f"{path}: {error}") from None

        return self._call("company_profile", fetch, request_id=uscc,
                          url=self.config.url + path)
