
from . import connectors
from . import inbound
from . import hash_chain
