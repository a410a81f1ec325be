from . import classification, regulatory, risk_sharing, scorecard
from . import classification, regulatory, risk_sharing, tabular
