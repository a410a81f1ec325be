from . import sequence_number_mixin
from . import base_masking
from . import guarantee_lock_mixin

from . import guarantee_connector_call_log
from . import guarantee_connector_event
from . import guarantee_connector_mixin
from . import guarantee_hash_chain
from . import auditlog_rule
from . import auditlog_log
from . import res_company_audit
from . import res_config_settings_audit
from . import res_users_password_policy
from . import ir_http_session_timeout
from . import guarantee_login_failure
from . import ir_http_trusted_proxy
from . import guarantee_signing_certificate
from . import guarantee_trust_root
