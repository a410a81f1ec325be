"""Idle sessions are logged out, over HTTP as the web client calls the server."""

import time

from odoo import http
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_platform.models.ir_http_session_timeout import (
    IDLE_PARAMETER,
    LAST_ACTIVITY_KEY,
)

from .common import GuaranteeCase
from .rpc import JsonRpcMixin


@tagged("post_install", "-at_install")
class TestSessionTimeout(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._create_project()
        cls.env["ir.config_parameter"].sudo().set_param(IDLE_PARAMETER, 30)

    def _login_idle_for(self, minutes):
        """Log pm_a in and pretend the last request came ``minutes`` ago."""
        session = self.authenticate("t_pm_a", "t_pm_a")
        session[LAST_ACTIVITY_KEY] = time.time() - minutes * 60
        http.root.session_store.save(session)
        return session

    def _last_activity(self, session):
        return http.root.session_store.get(session.sid).get(LAST_ACTIVITY_KEY)

    def _read_project(self):
        return self.rpc(self.project._name, "read", self.project.ids, ["name"])

    def test_a_session_idle_beyond_the_limit_is_expired_and_reads_nothing(self):
        session = self._login_idle_for(31)
        text, result, error = self._read_project()
        self.assertIsNone(result)
        self.assertEqual(error["data"]["name"], "odoo.http.SessionExpiredException", text[:300])
        self.assertNotIn(self.project.name, text)
        self.assertFalse(http.root.session_store.get(session.sid).uid)
        # the session stays logged out: a second call is refused too
        self.assertEqual(self._read_project()[2]["data"]["name"],
                         "odoo.http.SessionExpiredException")

    def test_an_active_session_keeps_working_and_its_activity_is_renewed(self):
        session = self._login_idle_for(29)
        before = self._last_activity(session)
        for _call in range(2):
            _text, result, error = self._read_project()
            self.assertFalse(error)
            self.assertEqual(result[0]["name"], self.project.name)
        self.assertGreater(self._last_activity(session), before + 28 * 60)

    def test_the_bus_poll_of_a_background_tab_does_not_keep_the_session_alive(self):
        session = self._login_idle_for(20)
        before = self._last_activity(session)
        response = self.url_open(
            "/websocket/peek_notifications",
            data='{"jsonrpc": "2.0", "method": "call", "id": 1, '
            '"params": {"channels": [], "last": 0, "is_first_poll": true}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._last_activity(session), before)

    def test_zero_turns_the_timeout_off(self):
        self.env["ir.config_parameter"].sudo().set_param(IDLE_PARAMETER, 0)
        self._login_idle_for(600)
        _text, result, error = self._read_project()
        self.assertFalse(error)
        self.assertEqual(result[0]["name"], self.project.name)
