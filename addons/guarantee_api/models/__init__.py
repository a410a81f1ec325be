from . import guarantee_api_key
from . import guarantee_api_rate_counter
from . import guarantee_bank_notification
from . import guarantee_project
from . import fastapi_endpoint
from . import guarantee_api_key_sharing
from . import fastapi_endpoint_sharing
