from . import test_scorecard_arithmetic
from . import test_scorecard
from . import test_scoring_prescreen
from . import test_scoring_financial
