"""The refusal assertions live with the platform's tests (guarantee_platform/tests/refusals.py);
the guarantee addons' tests import them from here as before."""

from odoo.addons.guarantee_platform.tests.refusals import RefusalAssertions  # noqa: F401
