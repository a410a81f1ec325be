from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Purge audit log lines written before restricted fields (credentials, HMAC secrets) were
    left out of the audit trail."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["auditlog.rule"]._purge_restricted_lines()
