
from . import guarantee_connector_call_log
from . import guarantee_connector_event
from . import guarantee_connector_mixin
from . import guarantee_hash_chain
