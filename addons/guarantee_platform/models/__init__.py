from . import sequence_number_mixin
