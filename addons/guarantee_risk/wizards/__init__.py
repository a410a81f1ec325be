from . import guarantee_limit_override_wizard
from . import guarantee_share_filing_refuse_wizard
from . import guarantee_financial_import_wizard
from . import guarantee_project_reassign_wizard
from . import guarantee_balance_backfill_wizard
