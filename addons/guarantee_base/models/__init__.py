from . import res_company
from . import res_config_settings
from . import res_partner_industry
from . import guarantee_related_group
from . import res_partner
from . import guarantee_product
from . import guarantee_project_state_log
from . import guarantee_project
