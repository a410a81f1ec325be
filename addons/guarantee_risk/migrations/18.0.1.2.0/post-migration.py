from odoo import SUPERUSER_ID, api

from odoo.addons.guarantee_platform.tools.sequences import restart_yearly


def migrate(cr, version):
    """Credit-line, measurement and due-diligence numbers restart every year; the portfolio
    aggregates are new: built from the projects and the snapshots already taken."""
    if not version:
        return
    restart_yearly(cr, "guarantee_risk")
    api.Environment(cr, SUPERUSER_ID, {})["guarantee.position.aggregate"]._rebuild_all()
