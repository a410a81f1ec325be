from . import test_addresses
from . import test_partner_api
from . import test_partner_api_input
from . import test_rate_limit_concurrency
from . import test_webhook_input
from . import test_input_fuzz
from . import test_sharing_api
from . import test_trusted_proxy_http
