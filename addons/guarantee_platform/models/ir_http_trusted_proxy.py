import ipaddress
import logging

from odoo import models
from odoo.http import request
from odoo.tools import config

_logger = logging.getLogger(__name__)

TRUSTED_PROXIES_OPTION = "guarantee_trusted_proxies"  # odoo.conf option
TRUSTED_PROXIES_PARAM = "guarantee_platform.trusted_proxies"  # or this system parameter
# what werkzeug's ProxyFix (Odoo's proxy_mode) rewrites from the X-Forwarded-* headers
FORWARDED_KEYS = ("REMOTE_ADDR", "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT",
                  "SCRIPT_NAME")


def is_trusted(address, trusted):
    """Whether ``address`` is one of ``trusted`` (comma-separated addresses or networks)."""
    try:
        peer = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for item in (trusted or "").split(","):
        try:
            if item.strip() and peer in ipaddress.ip_network(item.strip(), strict=False):
                return True
        except ValueError:
            _logger.warning("Ignored trusted proxy %r: not an address or network.", item)
    return False


class IrHttp(models.AbstractModel):
    """With ``proxy_mode``, Odoo believes X-Forwarded-For (the client's address, used by the
    API keys' allowed addresses and the logs) whenever X-Forwarded-Host is sent, whoever sends
    it. The headers are believed only when the request comes from a configured proxy
    (``guarantee_trusted_proxies`` in odoo.conf or the system parameter
    ``guarantee_platform.trusted_proxies``); otherwise what they rewrote is put back."""

    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, endpoint):
        cls._guarantee_refuse_untrusted_forwarding()
        return super()._authenticate(endpoint)

    @classmethod
    def _guarantee_refuse_untrusted_forwarding(cls):
        httprequest = request.httprequest
        environ = httprequest.environ
        original = environ.get("werkzeug.proxy_fix.orig")
        if not original:
            return
        trusted = config.get(TRUSTED_PROXIES_OPTION) or request.env[
            "ir.config_parameter"].sudo().get_param(TRUSTED_PROXIES_PARAM)
        if is_trusted(original.get("REMOTE_ADDR"), trusted):
            return
        _logger.warning("X-Forwarded-* headers from %s ignored: not a configured proxy.",
                        original.get("REMOTE_ADDR"))
        # Odoo's request keeps a filtered copy of the WSGI environ; the werkzeug request it
        # wraps (what the FastAPI endpoints and remote_addr read) keeps the real one, and
        # werkzeug copied the address, scheme and server into attributes when it was made:
        # all of them are put back
        wrapped = getattr(httprequest, "_HTTPRequest__wrapped", None)
        for env in (environ, getattr(wrapped, "environ", None)):
            if env is None:
                continue
            for key in FORWARDED_KEYS:
                if key in original:
                    env[key] = original[key]
            env.pop("werkzeug.proxy_fix.orig", None)
        if wrapped is not None:
            wrapped.remote_addr = original.get("REMOTE_ADDR")
            wrapped.scheme = original.get("wsgi.url_scheme", wrapped.scheme)
            if original.get("SERVER_NAME"):
                wrapped.server = (original["SERVER_NAME"],
                                  int(original.get("SERVER_PORT") or 0) or None)
            for cached in ("url", "base_url", "root_url", "host_url", "host"):
                wrapped.__dict__.pop(cached, None)
