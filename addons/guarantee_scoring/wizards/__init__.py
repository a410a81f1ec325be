from . import guarantee_scorecard_train_wizard
