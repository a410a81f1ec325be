{
    "name": "Guarantee Management: Reporting",
    "summary": "Regulatory figures, daily to monthly reports, KPI boards and exports",
    "version": "18.0.1.0.0",
    "category": "Guarantee",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["guarantee_accounting"],
    "data": [
        "security/ir.model.access.csv",
        "security/guarantee_reporting_security.xml",
        "views/guarantee_report_position_views.xml",
        "views/guarantee_report_flow_views.xml",
        "views/guarantee_reporting_menus.xml",
    ],
    "demo": [],
}
