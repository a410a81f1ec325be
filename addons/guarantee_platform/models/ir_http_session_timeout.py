"""Inactivity timeout of user sessions (等保: a session left idle is closed).

OCA auth_session_timeout for 18.0 reads the session file's mtime and logs an ERROR whenever that
file is missing, so it is implemented here: the time of the user's last request is kept in the
session, and a request that comes after more than the configured idle time logs the session out
before it is authenticated. Requests that a background tab sends on its own (the bus long-poll
and websocket routes) do not count as activity, so a forgotten tab does not keep a session alive.
"""

import time

from odoo import api, models
from odoo.http import SessionExpiredException, request, root

from odoo.addons.bus.websocket import wsrequest

IDLE_PARAMETER = "guarantee_platform.session_idle_minutes"
DEFAULT_IDLE_MINUTES = 30
LAST_ACTIVITY_KEY = "guarantee_last_activity"
# the last activity is rewritten at most this often, so a busy user does not save the session
# on every request
ACTIVITY_RESOLUTION_SECONDS = 60
BACKGROUND_PATH_PREFIXES = ("/websocket", "/longpolling", "/bus/")


def idle_limit_seconds(env):
    """The configured idle limit in seconds, or 0 when the timeout is off."""
    value = env["ir.config_parameter"].sudo().get_param(IDLE_PARAMETER, DEFAULT_IDLE_MINUTES)
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = DEFAULT_IDLE_MINUTES
    return max(minutes, 0) * 60


def session_is_idle(session, env, now):
    """True when a logged-in session has been idle longer than the limit."""
    limit = idle_limit_seconds(env)
    last = session.get(LAST_ACTIVITY_KEY)
    return bool(session.uid and limit and last and now - last > limit)


def is_background_request(httprequest):
    """Requests a tab sends by itself, which must not keep a session alive."""
    return httprequest.path.startswith(BACKGROUND_PATH_PREFIXES)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate_explicit(cls, auth):
        cls._guarantee_check_idle_session()
        return super()._authenticate_explicit(auth)

    @classmethod
    def _guarantee_check_idle_session(cls):
        """Log an idle session out (the route then answers "session expired" or serves the
        public user), or record the user's activity."""
        session = request.session
        if not session.uid:
            return
        now = time.time()
        if session_is_idle(session, request.env, now):
            session.logout(keep_db=True)
            root.session_store.save(session)  # an error answer does not save the session
            request.env = api.Environment(request.env.cr, None, session.context)
            return
        last = session.get(LAST_ACTIVITY_KEY) or 0
        if not is_background_request(request.httprequest) and (
            now - last >= ACTIVITY_RESOLUTION_SECONDS
        ):
            session[LAST_ACTIVITY_KEY] = now


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    @classmethod
    def _authenticate(cls):
        """An idle session's websocket is closed too (its next HTTP request logs it out)."""
        if session_is_idle(wsrequest.session, wsrequest.env, time.time()):
            raise SessionExpiredException()
        return super()._authenticate()
