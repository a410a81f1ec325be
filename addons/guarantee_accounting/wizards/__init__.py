from . import guarantee_reserve_wizard
from . import guarantee_reversal_wizard
