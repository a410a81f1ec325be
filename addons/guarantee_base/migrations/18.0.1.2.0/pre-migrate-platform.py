from odoo.addons.guarantee_platform.tools.module_moves import adopt


def migrate(cr, version):
    """When guarantee_base is updated without guarantee_platform, the records of the services
    that moved to the platform are its own before this addon's data names them (issue 24)."""
    adopt(cr)
