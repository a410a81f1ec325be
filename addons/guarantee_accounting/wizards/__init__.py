from . import guarantee_reserve_wizard
