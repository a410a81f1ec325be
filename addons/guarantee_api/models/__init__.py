from . import guarantee_api_key
from . import guarantee_api_call_log
from . import guarantee_api_idempotency
from . import guarantee_api_rate_counter
from . import guarantee_bank_notification
from . import guarantee_project
from . import fastapi_endpoint
