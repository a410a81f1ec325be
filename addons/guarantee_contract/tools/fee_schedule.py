"""Guarantee-fee arithmetic (担保费): day counts and schedules, as pure functions.

A period runs from ``date_from`` to ``date_to`` *inclusive*: a one-year term 2026-01-01 to
2026-12-31 has 365 days. The fee of a period is
``principal × annual rate × days / basis``; with the actual/actual basis each day is divided by
the length of its own calendar year (366 in a leap year), so a whole calendar year always counts
exactly one year.
"""

import calendar
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo.addons.guarantee_platform.tools.money import fen

DAY_COUNT_BASES = [
    ("360", "Actual/360"),
    ("365", "Actual/365 (Fixed)"),
    ("actual", "Actual/Actual"),
]



def period_days(date_from, date_to):
    """Number of days from ``date_from`` to ``date_to``, both included."""
    if date_to < date_from:
        raise ValueError("A period cannot end before it starts.")
    return (date_to - date_from).days + 1


def year_fraction(date_from, date_to, basis):
    """Fraction of a year covered by the inclusive period, under ``basis``."""
    days = period_days(date_from, date_to)
    if basis == "360":
        return Decimal(days) / Decimal(360)
    if basis == "365":
        return Decimal(days) / Decimal(365)
    if basis != "actual":
        raise ValueError("Unknown day-count basis %r." % basis)
    fraction = Decimal(0)
    start = date_from
    while start <= date_to:
        year_end = start.replace(month=12, day=31)
        end = min(year_end, date_to)
        year_length = 366 if calendar.isleap(start.year) else 365
        fraction += Decimal(period_days(start, end)) / Decimal(year_length)
        start = end + timedelta(days=1)
    return fraction


def fee_amount(principal, annual_rate_percent, date_from, date_to, basis):
    """Fee of the inclusive period, rounded half-up to the fen."""
    value = (
        Decimal(str(principal))
        * Decimal(str(annual_rate_percent))
        / Decimal(100)
        * year_fraction(date_from, date_to, basis)
    )
    return fen(value)


def split_term(date_start, date_end, instalments):
    """Cut the term into ``instalments`` consecutive periods of (nearly) equal whole months.

    Period ``i`` ends the day before the anniversary ``date_start + ⌊months × i / n⌋``; the
    last always ends on ``date_end`` (a term ending on the 31st keeps its last day whatever the
    month lengths).
    """
    if instalments < 1:
        raise ValueError("At least one instalment is needed.")
    total_months = _months_between(date_start, date_end)
    periods = []
    start = date_start
    for index in range(1, instalments + 1):
        if index == instalments:
            end = date_end
        else:
            months = total_months * index // instalments
            end = min(date_start + relativedelta(months=months) - timedelta(days=1), date_end)
        if end < start:
            raise ValueError("The term is too short for %d instalments." % instalments)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


def fee_schedule(principal, annual_rate_percent, date_start, date_end, basis, instalments=1):
    """The schedule as a list of ``(date_from, date_to, amount)``.

    The total is the fee of the whole term; each instalment is the fee of its own days, rounded
    to the fen, and the last instalment takes the rounding remainder so that the lines sum
    exactly to the total.
    """
    total = fee_amount(principal, annual_rate_percent, date_start, date_end, basis)
    periods = split_term(date_start, date_end, instalments)
    lines = []
    running = Decimal(0)
    for index, (start, end) in enumerate(periods):
        if index == len(periods) - 1:
            amount = total - running
        else:
            amount = fee_amount(principal, annual_rate_percent, start, end, basis)
            running += amount
        lines.append((start, end, amount))
    return lines


def _months_between(date_start, date_end):
    """Whole months from ``date_start`` to the day after ``date_end`` (at least 1)."""
    delta = relativedelta(date_end + timedelta(days=1), date_start)
    return max(delta.years * 12 + delta.months + (1 if delta.days else 0), 1)
