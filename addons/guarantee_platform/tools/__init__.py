
from . import connectors
from . import inbound
