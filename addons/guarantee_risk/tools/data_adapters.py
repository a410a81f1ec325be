"""Registry / court / tax data providers (企查查, 天眼查 and the like) on the shared framework.

REST interface: one ``GET`` per configured endpoint (``options["endpoints"]``: kind, path with
``{uscc}``, field mapping, our keys it answers), by default the single
``GET {base}/companies/{uscc}`` answering the whole profile. Every endpoint is a read, retried
after a time-out or a 5xx; the profile is complete or the call fails, so nothing is half-known.
"""

from urllib.parse import quote

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorAdapter,
    ConnectorMalformedResponse,
    http_json,
    register_adapter,
)

from .registry_profile import ALL, DEFAULT_PATHS, MalformedProfile, normalize


@register_adapter("data", "rest")
class RestDataProviderAdapter(ConnectorAdapter):
    def _endpoints(self):
        options = self.config.options or {}
        return options.get("endpoints") or [{
            "kind": "profile", "path": DEFAULT_PATHS["profile"], "keys": ALL,
            "mapping": options.get("mapping"),
        }]

    def company_profile(self, uscc):
        """The normalized profile of the company ``uscc``, merged from every endpoint."""
        profile = {}
        for endpoint in self._endpoints():
            profile.update(self._fetch(uscc, endpoint))
        return profile

    def _fetch(self, uscc, endpoint):
        path = endpoint["path"].replace("{uscc}", quote(uscc, safe=""))

        def fetch():
            raw = http_json(self.config, "GET", path, headers={
                "Authorization": "Bearer %s" % (self.config.secret or ""),
            })
            try:
                return normalize(raw, endpoint.get("mapping"), endpoint["keys"])
            except MalformedProfile as error:
                raise ConnectorMalformedResponse(f"{path}: {error}") from None

        return self._call("company_" + endpoint["kind"], fetch, request_id=uscc,
                          url=self.config.url + path)
