from . import amounts
from . import identifiers
