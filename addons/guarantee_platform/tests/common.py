"""What the platform's tests share. The test models (``models.py``) are imported only inside
the tests, after the loader has saved the registry (odoo-test-helper's rule)."""

from odoo_test_helper import FakeModelLoader

from odoo.tests import TransactionCase

from .refusals import RefusalAssertions

# The loader registers the test models under a module of their own: under guarantee_platform it
# would load the addon's real classes again too (the lock mixin, the ``base`` extension of the
# masking), and rebuilding those changes the classes of every model for the tests run after.
TEST_MODELS_MODULE = "odoo.addons.guarantee_platform_test_models.tests"


class TestModelCase(RefusalAssertions, TransactionCase):
    """A case whose class loads the test models named in ``_test_models`` (class names of
    ``models.py``) and unloads them after its tests."""

    _test_models = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, TEST_MODELS_MODULE)
        cls.loader.backup_registry()
        from . import models

        cls.loader.update_registry(tuple(getattr(models, name) for name in cls._test_models))

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()
