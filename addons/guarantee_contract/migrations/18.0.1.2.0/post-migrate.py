from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Sanitise the contract templates saved before their text was sanitised on save
    (issue 23): a script stored then would still be in the text the form shows."""
    if version:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["guarantee.contract.template"]._guarantee_sanitize_stored_bodies()
