{
    "name": "Guarantee Management: Accounting",
    "summary": "Journal entries for fees, margins, compensation, recovery, losses and reserves; bank connectors and reconciliation",
    "version": "18.0.1.0.0",
    "category": "Guarantee",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["guarantee_contract"],
    "data": [],
    "demo": [],
}
