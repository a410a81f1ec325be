"""What the platform's tests share. The test models (``models.py``) are imported only inside
the tests, after the loader has saved the registry (odoo-test-helper's rule)."""

# The loader registers the test models under a module of their own: under guarantee_platform it
# would load the addon's real classes again too (the lock mixin, the ``base`` extension of the
# masking), and rebuilding those changes the classes of every model for the tests run after.
TEST_MODELS_MODULE = "odoo.addons.guarantee_platform_test_models.tests"
