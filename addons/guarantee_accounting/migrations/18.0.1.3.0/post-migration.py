from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The daily flow aggregates are new: built from the records already there."""
    if version:
        api.Environment(cr, SUPERUSER_ID, {})["guarantee.flow.aggregate"]._rebuild_all()
