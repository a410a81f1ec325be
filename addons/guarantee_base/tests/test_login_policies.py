import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged

from .refusals import RefusalAssertions


@tagged("post_install", "-at_install")
class TestLoginPolicies(RefusalAssertions, HttpCase):
    """Passwords people set are long enough; repeated wrong passwords lock the login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, "t_policy_pm", password="correct-horse-battery",
            groups="guarantee_base.group_guarantee_project_manager",
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
        self.user.with_user(admin).write({"password": "a-long-enough-passphrase"})

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

    def test_staff_need_a_second_factor_after_the_password(self):
        self.env["ir.config_parameter"].set_param("auth_totp.policy", "employee_required")
        self.assertEqual(self._login("correct-horse-battery"), (True, None))
        self.assertEqual(self.user._mfa_url(), "/web/login/totp")
        self.env["ir.config_parameter"].set_param("auth_totp.policy", False)
        self.assertEqual(self._login("correct-horse-battery"), (True, self.user.id))
