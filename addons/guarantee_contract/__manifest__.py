{
    "name": "Guarantee Management: Contracts",
    "summary": "Contracts from templates, PDF with Chinese capitals, e-signature, margin deposits and fee schedules",
    "version": "18.0.1.0.0",
    "category": "Guarantee",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["guarantee_risk"],
    "data": [],
    "demo": [],
}
