{
    "name": "Guarantee Management: Platform",
    "summary": "Cross-cutting services the guarantee addons build on: locks and state machines, "
    "sequences, money, identifiers, masking, connectors, PDFs, integrity chain, audit, login policy",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["mail"],
    "external_dependencies": {
        "python": ["requests"]
    },
    "data": [
        "security/ir.model.access.csv",
        "security/guarantee_connector_security.xml",
        "views/guarantee_connector_views.xml",
        "views/guarantee_hash_chain_views.xml",
    ],
}
