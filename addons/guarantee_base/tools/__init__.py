from . import amounts
from . import identifiers
from . import working_days
