import json
from unittest.mock import patch

from odoo.tests import get_db_name, new_test_user, tagged
from odoo.tools import config

from .common import PartnerApiCase

# what a client sends to pass for an address of the bank's allow-list, through Odoo's
# proxy_mode (werkzeug's ProxyFix believes X-Forwarded-For when X-Forwarded-Host is sent)
FORGED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "erp.example.cn",
          "X-Forwarded-Proto": "https"}


@tagged("post_install", "-at_install")
class TestTrustedProxyOverHttp(PartnerApiCase):
    """With proxy_mode on, over the test server's real HTTP from 127.0.0.1 (issue 23): the
    X-Forwarded-* headers of a client that is not a configured proxy change nothing, neither
    the address an API key's allow-list is checked against (and the call log records) nor the
    address a failed login is logged from; sent by a configured proxy, they are believed."""

    def setUp(self):
        super().setUp()
        proxy_mode = patch.dict(config.options, {"proxy_mode": True})
        proxy_mode.start()
        self.addCleanup(proxy_mode.stop)
        self.env["ir.config_parameter"].set_param("guarantee_platform.trusted_proxies", False)
        self.bank_key.allowed_ips = "203.0.113.0/24"  # the bank's own network only

    def _trust(self, proxies):
        self.env["ir.config_parameter"].set_param("guarantee_platform.trusted_proxies", proxies)

    def _session_address(self, user):
        """The address Odoo records for a session (res.device.log) opened by ``user`` with
        the forged headers and used once with them."""
        self.url_open("/web/session/logout")
        headers = dict(FORGED, **{"Content-Type": "application/json"})
        answer = self.url_open("/web/session/authenticate", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "params": {
                "db": get_db_name(), "login": user.login, "password": user.login + "-Pw-42"},
        }), headers=headers).json()
        self.assertEqual(answer.get("result", {}).get("uid"), user.id, answer)
        self.url_open("/web/session/get_session_info", data="{}", headers=headers)
        logs = self.env["res.device.log"].sudo().search([("user_id", "=", user.id)],
                                                         order="id desc")
        self.assertTrue(logs)
        return logs[0].ip_address

    def test_an_untrusted_clients_forwarded_for_does_not_pass_the_allow_list(self):
        response = self._call("GET", "/projects", self.bank_secret, headers=FORGED)
        self.assertError(response, 403, "address_not_allowed")
        self.assertEqual(self._last_log().remote_addr, "127.0.0.1")
        # a configured proxy elsewhere does not make 127.0.0.1 one
        self._trust("10.0.0.0/8")
        response = self._call("GET", "/projects", self.bank_secret, headers=FORGED)
        self.assertError(response, 403, "address_not_allowed")
        self.assertEqual(self._last_log().remote_addr, "127.0.0.1")

    def test_a_configured_proxys_forwarded_for_is_believed(self):
        self._trust("10.0.0.0/8, 127.0.0.1")
        response = self._call("GET", "/projects", self.bank_secret, headers=FORGED)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self._last_log().remote_addr, "203.0.113.9")
        # without the header the proxy itself is the client: not on the bank's list
        response = self._call("GET", "/projects", self.bank_secret)
        self.assertError(response, 403, "address_not_allowed")

    def test_a_session_is_recorded_from_the_real_address_unless_a_proxy_says_otherwise(self):
        first = new_test_user(self.env, "t_proxy_login", password="t_proxy_login-Pw-42",
                              groups="guarantee_base.group_guarantee_risk")
        self.assertEqual(self._session_address(first), "127.0.0.1")
        self._trust("127.0.0.1")
        second = new_test_user(self.env, "t_proxy_login2", password="t_proxy_login2-Pw-42",
                               groups="guarantee_base.group_guarantee_risk")
        self.assertEqual(self._session_address(second), "203.0.113.9")
