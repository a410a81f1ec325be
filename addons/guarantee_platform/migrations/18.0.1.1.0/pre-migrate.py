from odoo.addons.guarantee_platform.tools.module_moves import adopt


def migrate(cr, version):
    """The services moved from guarantee_base keep their records (issue 24)."""
    adopt(cr)
