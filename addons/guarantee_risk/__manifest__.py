{
    "name": "Guarantee Management: Risk",
    "summary": "Counter-guarantees, credit lines, scorecards, five-level classification, early warning, external data connectors and regulatory limits",
    "version": "18.0.1.0.0",
    "category": "Guarantee",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["guarantee_base"],
    "data": [],
    "demo": [],
}
