
from . import test_connector_framework
from . import test_hash_chain
