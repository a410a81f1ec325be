"""Masks of personal data shown to users who do not need the full value (pure functions)."""


def mask_id_number(value):
    """A resident ID number keeps its region (6) and last 4 characters: 110105********002X."""
    if not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value):
    """A phone number keeps its first 3 and last 4 digits: 138****5678."""
    if not value:
        return value
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if len(digits) <= 7:
        return "".join("*" if c.isdigit() else c for c in value)
    hidden = set(digits[3:-4])
    return "".join("*" if i in hidden else c for i, c in enumerate(value))


def mask_account(value):
    """A bank account keeps its last 4 characters: ****2222."""
    if not value:
        return value
    compact = value.replace(" ", "")
    return "*" * max(len(compact) - 4, 4) + compact[-4:]
