from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Databases installed before the login policies get them (stricter values are kept)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.users"]._guarantee_apply_login_policies()
