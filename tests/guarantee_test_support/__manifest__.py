{
    "name": "Guarantee Management: Test Support",
    "summary": "Cross-addon scenarios and the browser tours of the whole guarantee journey. "
    "Installed by the test runner only, never in production.",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/guarantee-management/guarantee",
    "author": "Guarantee Management Contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["guarantee_reporting"],
    "data": [],
    "assets": {
        "web.assets_tests": [
            "guarantee_test_support/static/tests/tours/**/*",
        ],
    },
}
