from . import test_money
from . import test_identifiers
from . import test_cn_text
from . import test_tabular
from . import test_sequence_number_mixin
from . import test_masking
from . import test_lock_mixin

from . import test_connector_framework
from . import test_hash_chain
from . import test_audit
from . import test_login_policies
from . import test_pdf_signature
from . import test_pdf_pipeline
from . import test_backup
from . import test_ocr
