{
    "name": "Guarantee Management: Platform",
    "summary": "Cross-cutting services the guarantee addons build on: locks and state "
    "machines, sequences, money, identifiers, masking, connectors, PDFs, integrity chain, "
    "audit, login policy",
    "version": "18.0.1.1.0",
    "category": "Hidden",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": [
        "mail",
        "auditlog",
        "auth_password_policy",
        "auth_totp_mail_enforce",
    ],
    "external_dependencies": {
        "python": [
            "cn2an",
            "python-stdnum",
            "openpyxl",
            "requests",
            "xlsxwriter",
            "reportlab",
            "fonttools",
            "pyhanko",
            "pyhanko-certvalidator",
        ]
    },
    "data": [
        "security/ir.model.access.csv",
        "security/guarantee_connector_security.xml",
        "security/guarantee_signature_security.xml",
        "views/guarantee_connector_views.xml",
        "views/guarantee_hash_chain_views.xml",
        "data/ir_cron_data.xml",
        "data/auth_policy_data.xml",
        "wizards/guarantee_audit_export_wizard_views.xml",
        "views/guarantee_signature_views.xml",
    ],
}
