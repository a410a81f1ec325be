from . import scorecard
