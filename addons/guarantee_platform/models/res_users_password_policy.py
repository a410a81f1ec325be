from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import UserError

LOGIN_POLICIES = {
    # key: (value, stricter of two values)
    "auth_password_policy.minlength": (12, max),
    "base.login_cooldown_after": (5, min),
    "base.login_cooldown_duration": (900, max),
    "guarantee_platform.password_min_classes": (3, max),
}
# 等保 level 3: passwords mix character classes; at least 3 of these 4 by default
CHARACTER_CLASSES = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())


def character_classes(password):
    """How many of upper case, lower case, digit and symbol ``password`` contains."""
    return sum(1 for in_class in CHARACTER_CLASSES if any(in_class(c) for c in password))


class ResUsers(models.Model):
    _inherit = "res.users"

    def _check_password_policy(self, passwords):
        """The policy (minimum length, auth_password_policy) binds every password a person sets,
        from the preferences or by an administrator (even through sudo, as Odoo's own password
        change does); only the system itself (data loading, test set-up) runs as OdooBot."""
        if self.env.uid == SUPERUSER_ID:
            return
        result = super()._check_password_policy(passwords)
        params = self.env["ir.config_parameter"].sudo()
        required = min(int(params.get_param("guarantee_platform.password_min_classes", "3")), 4)
        if any(password and character_classes(password) < required for password in passwords):
            raise UserError(
                _("Your password must mix at least %(count)d of these: upper-case letters, "
                  "lower-case letters, digits and symbols.", count=required)
            )
        return result

    @api.model
    def _guarantee_apply_login_policies(self):
        """Set the 等保 login policies, keeping any stricter value an administrator chose: a
        second factor for staff, 12-character passwords mixing 3 of 4 character classes, a
        15-minute lock after 5 failures."""
        params = self.env["ir.config_parameter"].sudo()
        for key, (value, stricter) in LOGIN_POLICIES.items():
            current = int(params.get_param(key) or 0)
            params.set_param(key, str(stricter(current, value) if current else value))
        demo = self.env["ir.module.module"].sudo().search_count(
            [("name", "=", "base"), ("demo", "=", True)]
        )
        if not demo and params.get_param("auth_totp.policy") != "all_required":
            # a demo database sends no e-mail: its users could not receive their code
            params.set_param("auth_totp.policy", "employee_required")
