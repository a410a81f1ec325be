from . import guarantee_api_key
from . import guarantee_api_call_log
from . import guarantee_api_idempotency
from . import guarantee_project
from . import fastapi_endpoint
from . import guarantee_api_key_sharing
from . import fastapi_endpoint_sharing
