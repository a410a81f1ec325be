{
    "name": "Guarantee Management: Reporting",
    "summary": "Regulatory figures, daily to monthly reports, KPI boards and exports",
    "version": "18.0.1.1.0",
    "category": "Guarantee",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": [
        "guarantee_accounting",
        "report_xlsx",
        "account_financial_report",
        "mis_builder",
    ],
    "external_dependencies": {"python": ["xlsxwriter", "reportlab", "fontTools"]},
    "data": [
        "security/ir.model.access.csv",
        "security/guarantee_reporting_security.xml",
        "views/guarantee_report_position_views.xml",
        "views/guarantee_report_flow_views.xml",
        "data/ir_cron_data.xml",
        "report/guarantee_report_run_reports.xml",
        "wizards/guarantee_report_request_wizard_views.xml",
        "views/guarantee_report_run_views.xml",
        "views/guarantee_dashboard_views.xml",
        "data/res_groups_home_data.xml",
        "views/guarantee_reporting_menus.xml",
        "data/mis_report_templates.xml",
        "views/guarantee_report_sharing_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "guarantee_reporting/static/src/dashboard/*",
        ],
        "web.assets_tests": [
            "guarantee_reporting/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/guarantee_report_subscription_demo.xml",
        "demo/mis_report_instance_demo.xml",
    ],
}
