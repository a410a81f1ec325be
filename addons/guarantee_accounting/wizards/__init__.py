from . import guarantee_reserve_wizard
from . import guarantee_reversal_wizard
from . import guarantee_import_wizard
from . import guarantee_share_claim_decision_wizard
from . import guarantee_payment_order_done_wizard
