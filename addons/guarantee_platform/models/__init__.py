from . import sequence_number_mixin
from . import base_masking
from . import guarantee_lock_mixin
