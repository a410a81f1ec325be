from . import test_full_lifecycle
