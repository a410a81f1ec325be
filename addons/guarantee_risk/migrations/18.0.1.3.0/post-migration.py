from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The per-borrower and per-group rows are new: built with the portfolio aggregates."""
    if version:
        api.Environment(cr, SUPERUSER_ID, {})["guarantee.position.aggregate"]._rebuild_all()
