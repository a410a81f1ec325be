from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Name the reports already generated in Chinese with Chinese dates (月报 2026年11月01日至…),
    as the new ones are, whatever the language of the job that generated them."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    runs = env["guarantee.report.run"].search([])
    runs._compute_name()
    runs.flush_recordset(["name"])
