from . import test_money
from . import test_identifiers
from . import test_cn_text
from . import test_tabular
from . import test_sequence_number_mixin
from . import test_masking
from . import test_lock_mixin
