from . import test_regulatory_rules
from . import test_regulatory_limits
from . import test_collateral
from . import test_credit_line
from . import test_classification
from . import test_expiry_reminders
from . import test_security
from . import test_early_warning
