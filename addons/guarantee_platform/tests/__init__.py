
from . import test_connector_framework
from . import test_hash_chain
from . import test_audit
from . import test_login_policies
from . import test_pdf_signature
from . import test_pdf_pipeline
from . import test_backup
