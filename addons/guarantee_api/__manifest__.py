{
    "name": "Guarantee Management: Partner API",
    "summary": "REST API for banks and platforms: applications with documents, project "
    "status, guarantee lists and bank notices, with per-partner keys, scopes, IP allow-lists, "
    "rate limits and idempotency keys, logged in the platform's call log",
    "version": "18.0.1.1.0",
    "category": "Guarantee",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["guarantee_accounting", "fastapi"],
    "external_dependencies": {"python": ["fastapi", "pydantic"]},
    "data": [
        "security/guarantee_api_security.xml",
        "security/ir.model.access.csv",
        "data/guarantee_api_data.xml",
        "views/guarantee_api_key_views.xml",
        "views/guarantee_project_views.xml",
        "wizards/guarantee_api_key_reveal_views.xml",
        "views/guarantee_api_menus.xml",
    ],
    "demo": ["demo/guarantee_api_demo.xml"],
}
