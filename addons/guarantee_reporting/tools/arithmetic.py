"""Exact arithmetic of the reported figures (pure functions, no ORM).

Amounts come from PostgreSQL ``numeric`` sums as ``Decimal`` and stay ``Decimal``: a figure sent
to the regulator is exact to the fen, never a float sum.
"""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
RATIO_PLACES = Decimal("0.000001")


def to_decimal(value):
    """``value`` (Decimal, int, float or None) as a Decimal; floats through their repr."""
    if value is None:
        return Decimal("0")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def fen(value):
    """Round half up to the fen."""
    return to_decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def ratio(numerator, denominator):
    """``numerator / denominator`` to six places (half up), None when the denominator is not
    positive (a rate of nothing is not 0%)."""
    denominator = to_decimal(denominator)
    if denominator <= 0:
        return None
    return (to_decimal(numerator) / denominator).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
