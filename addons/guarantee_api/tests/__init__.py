from . import test_addresses
from . import test_partner_api
from . import test_sharing_api
