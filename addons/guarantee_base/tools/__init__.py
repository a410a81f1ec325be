from . import working_days
from . import connectors
from . import inbound
