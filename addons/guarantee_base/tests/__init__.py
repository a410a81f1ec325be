from . import test_identifiers
from . import test_customer
from . import test_project_lifecycle
