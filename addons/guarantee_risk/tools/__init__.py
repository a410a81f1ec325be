from . import classification, regulatory, scorecard, tabular
