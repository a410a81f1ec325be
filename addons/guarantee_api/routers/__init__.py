from . import partner_api
from . import sharing_api
