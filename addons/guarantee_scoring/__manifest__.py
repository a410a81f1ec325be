{
    "name": "Guarantee Management: Scoring",
    "summary": "Scorecards trained on the company's history, scores and first-review "
    "recommendations of guarantee projects, and the monitoring of the scorecards in use",
    "version": "18.0.1.0.0",
    "category": "Guarantee",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["guarantee_risk"],
    "external_dependencies": {"python": ["scikit-learn", "numpy", "openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "security/guarantee_scoring_security.xml",
        "data/guarantee_scorecard_data.xml",
        "data/guarantee_scorecard_financial_data.xml",
        "data/auditlog_rule_scorecard_data.xml",
        "wizards/guarantee_scorecard_train_wizard_views.xml",
        "views/guarantee_scorecard_views.xml",
        "views/guarantee_scoring_views.xml",
        "views/res_config_settings_scorecard_views.xml",
    ],
    "demo": [
        "demo/guarantee_scorecard_demo.xml",
        "demo/guarantee_scorecard_financial_demo.xml",
    ],
}
