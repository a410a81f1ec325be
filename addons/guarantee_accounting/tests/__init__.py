from . import test_reserve_rules
from . import test_accounting_entries
from . import test_compensation_workflow
from . import test_bank_connectors
from . import test_bank_notifications
from . import test_translations
from . import test_payment_orders
from . import test_reserve_provisions
