from . import test_full_lifecycle
from . import test_locks_over_jsonrpc
