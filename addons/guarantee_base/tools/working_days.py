"""Service-time deadlines counted in working days: a pure function, no ORM."""

from datetime import timedelta


def add_working_days(start, days):
    """Return the date ``days`` working days (Monday to Friday) after ``start``.

    ``days`` <= 0 returns ``start`` itself. Public holidays are not known here: the deadline
    of a task due around a holiday may be adjusted by hand on the activity.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
