from . import guarantee_limit_override_wizard
