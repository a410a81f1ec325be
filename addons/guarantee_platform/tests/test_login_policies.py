import json
from types import SimpleNamespace
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, get_db_name, new_test_user, tagged

from ..models.ir_http_session_timeout import IDLE_PARAMETER, session_is_idle
from .refusals import RefusalAssertions


@tagged("post_install", "-at_install")
class TestLoginPolicies(RefusalAssertions, HttpCase):
    """Passwords people set are long enough; repeated wrong passwords lock the login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, "t_policy_pm", password="correct-horse-battery",
            groups="base.group_user",
        )

    def test_a_short_password_set_by_the_user_or_an_admin_is_refused(self):
        with self.assertRaisesExactly(
            UserError, "Your password must contain at least 12 characters and only has 8"
        ):
            self.user.with_user(self.user).change_password("correct-horse-battery", "short-pw")
        admin = self.env.ref("base.user_admin")
        with self.assertRaisesExactly(
            UserError, "Your password must contain at least 12 characters and only has 8"
        ):
            self.user.with_user(admin).write({"password": "Abc12345"})
        self.user.with_user(admin).write({"password": "A-long-enough-passphrase"})

    def test_a_password_of_fewer_than_three_character_classes_is_refused(self):
        self.authenticate("t_policy_pm", "correct-horse-battery")
        expected = ("Your password must mix at least 3 of these: upper-case letters, "
                    "lower-case letters, digits and symbols.")
        for weak in ("aaaaaaaaaaaa", "abcdefghijk1", "ABCDEFGH-JKL", "123456789012!"):
            with self.subTest(password=weak):
                response = self.url_open(
                    "/web/dataset/call_kw/res.users/change_password",
                    data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                        "model": "res.users", "method": "change_password",
                        "args": ["correct-horse-battery", weak], "kwargs": {},
                    }}),
                    headers={"Content-Type": "application/json"},
                ).json()
                self.assertEqual(response["error"]["data"]["name"], "odoo.exceptions.UserError")
                self.assertEqual(response["error"]["data"]["message"], expected)
        self.assertTrue(self._login("correct-horse-battery")[0])  # unchanged
        self.assertFalse(self._login("aaaaaaaaaaaa")[0])
        self.addCleanup(lambda: getattr(self.registry, "_login_failures", {}).clear())
        self.user.with_user(self.user).change_password("correct-horse-battery",
                                                       "Correct-horse-9")

    def test_the_policies_are_set(self):
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param("auth_password_policy.minlength"), "12")
        self.assertEqual(params.get_param("base.login_cooldown_after"), "5")
        self.assertEqual(params.get_param("base.login_cooldown_duration"), "900")
        params.set_param("base.login_cooldown_after", "3")  # stricter: kept
        self.env["res.users"]._guarantee_apply_login_policies()
        self.assertEqual(params.get_param("base.login_cooldown_after"), "3")

    def _login(self, password):
        """The login route's answer: ``(accepted, uid)``; uid is None while a second factor
        is due."""
        response = self.url_open(
            "/web/session/authenticate",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "db": get_db_name(), "login": "t_policy_pm", "password": password,
            }}),
            headers={"Content-Type": "application/json"},
        )
        answer = response.json()
        return "error" not in answer, (answer.get("result") or {}).get("uid")

    def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(self):
        # the failures are counted in memory by the registry, outside the test's transaction
        self.addCleanup(lambda: getattr(self.registry, "_login_failures", {}).clear())
        self.assertTrue(self._login("correct-horse-battery")[0])
        for _attempt in range(5):
            self.assertFalse(self._login("wrong-password")[0])
        self.assertFalse(self._login("correct-horse-battery")[0])

    def _counted_failures(self, login):
        self.env.cr.execute(
            "SELECT failures FROM guarantee_login_failure WHERE login = %s", [login])
        row = self.env.cr.fetchone()
        return row and row[0]

    def test_failures_are_counted_per_login_in_the_database_with_a_growing_delay(self):
        for _attempt in range(5):
            self.assertFalse(self._login("wrong-password")[0])
        self.assertEqual(self._counted_failures("t_policy_pm"), 5)
        # another worker (Odoo's own counter is in each worker's memory) refuses it too
        getattr(self.registry, "_login_failures", {}).clear()
        self.assertFalse(self._login("correct-horse-battery")[0])
        self.assertEqual(self._counted_failures("t_policy_pm"), 5)  # a refusal, not a try
        # the same office address: a colleague's login is not slowed down
        colleague = new_test_user(self.env, "t_policy_colleague", password="Colleague-pw-42",
                                  groups="base.group_user")
        self.assertTrue(self.url_open("/web/session/authenticate", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "params": {
                "db": get_db_name(), "login": colleague.login, "password": "Colleague-pw-42"},
        }), headers={"Content-Type": "application/json"}).json().get("result"))
        # not a lock: once the delay (30 s after the 5th failure) is over, the right password
        # works and clears the counter
        self.env.cr.execute(
            "UPDATE guarantee_login_failure SET last_failure = last_failure - interval '31 "
            "seconds' WHERE login = 't_policy_pm'")
        self.assertTrue(self._login("correct-horse-battery")[0])
        self.assertFalse(self._counted_failures("t_policy_pm"))

    def _client_address_after_proxy_check(self):
        """What Odoo takes for the client's address once werkzeug's ProxyFix (proxy_mode)
        rewrote the request from forged X-Forwarded-* headers sent from 127.0.0.1."""
        environ = {
            "REMOTE_ADDR": "203.0.113.9", "HTTP_HOST": "erp.example.cn",
            "wsgi.url_scheme": "https",
            "werkzeug.proxy_fix.orig": {"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8069",
                                        "wsgi.url_scheme": "http"},
        }
        fake = SimpleNamespace(httprequest=SimpleNamespace(environ=environ), env=self.env)
        with patch("odoo.addons.guarantee_platform.models.ir_http_trusted_proxy.request", fake):
            self.env["ir.http"]._guarantee_refuse_untrusted_forwarding()
        return environ["REMOTE_ADDR"], environ["HTTP_HOST"], environ["wsgi.url_scheme"]

    def test_forwarded_for_is_believed_only_from_a_configured_proxy(self):
        self.assertEqual(self._client_address_after_proxy_check(),
                         ("127.0.0.1", "127.0.0.1:8069", "http"))
        self.env["ir.config_parameter"].set_param("guarantee_platform.trusted_proxies",
                                                  "10.0.0.0/8, 127.0.0.1")
        self.assertEqual(self._client_address_after_proxy_check(),
                         ("203.0.113.9", "erp.example.cn", "https"))

    def test_staff_need_a_second_factor_after_the_password(self):
        self.env["ir.config_parameter"].set_param("auth_totp.policy", "employee_required")
        self.assertEqual(self._login("correct-horse-battery"), (True, None))
        self.assertEqual(self.user._mfa_url(), "/web/login/totp")
        self.env["ir.config_parameter"].set_param("auth_totp.policy", False)
        self.assertEqual(self._login("correct-horse-battery"), (True, self.user.id))


@tagged("post_install", "-at_install")
class TestSessionIdleRule(TransactionCase):
    """The idle rule alone: a logged-in session idle beyond the configured minutes expires."""

    def test_a_session_idle_beyond_the_limit_is_idle_and_zero_turns_it_off(self):
        params = self.env["ir.config_parameter"]
        params.set_param(IDLE_PARAMETER, "30")
        now = 1_800_000_000
        session = {"guarantee_last_activity": now - 30 * 60 - 1}
        logged_in = SimpleNamespace(uid=7, get=session.get)
        self.assertTrue(session_is_idle(logged_in, self.env, now))
        self.assertFalse(session_is_idle(logged_in, self.env, now - 2), "30 minutes are allowed")
        self.assertFalse(session_is_idle(SimpleNamespace(uid=None, get=session.get),
                                         self.env, now), "a public session has no idle limit")
        params.set_param(IDLE_PARAMETER, "0")
        self.assertFalse(session_is_idle(logged_in, self.env, now))
