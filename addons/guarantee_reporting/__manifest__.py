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
    "data": [],
    "demo": [],
}
