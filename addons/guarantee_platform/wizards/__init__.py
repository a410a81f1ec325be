from . import guarantee_audit_export_wizard
