
from . import test_connector_framework
