"""Five-level classification (五级分类) suggested from days overdue, as a pure function."""

# Default bands: the first day overdue of each class.
DEFAULT_BANDS = {"special": 1, "substandard": 91, "doubtful": 181, "loss": 361}
CLASS_ORDER = ("normal", "special", "substandard", "doubtful", "loss")


def suggested_class(days_overdue, bands=None):
    """The class whose band ``days_overdue`` falls in; ``bands`` maps each class after
    'normal' to the first day overdue that puts a guarantee in it."""
    bands = bands or DEFAULT_BANDS
    result = "normal"
    for risk_class in CLASS_ORDER[1:]:
        if days_overdue >= bands[risk_class]:
            result = risk_class
    return result
