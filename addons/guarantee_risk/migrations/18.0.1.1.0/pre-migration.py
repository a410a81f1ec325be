def migrate(cr, version):
    """Warnings gained the states new / acknowledged / handled / dismissed: open is new."""
    if not version:
        return
    cr.execute("UPDATE guarantee_risk_signal SET state = 'new' WHERE state = 'open'")
