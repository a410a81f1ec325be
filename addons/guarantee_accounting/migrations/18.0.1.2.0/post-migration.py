from odoo.addons.guarantee_platform.tools.sequences import restart_yearly


def migrate(cr, version):
    """Compensation, recovery, loss, payment-order and risk-sharing numbers restart every year."""
    if version:
        restart_yearly(cr, "guarantee_accounting")
