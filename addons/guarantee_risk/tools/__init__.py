from . import classification, regulatory, risk_sharing
