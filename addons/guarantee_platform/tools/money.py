"""Money: rounding to the fen, amounts in figures and in Chinese capitals (pure functions).

One home for what five addons wrote each for themselves. Every rounding of an amount is half
up on the decimal value written (2.675 → 2.68, where ``round(2.675, 2)`` gives 2.67 because the
float is 2.67499…): a float goes through its shortest repr, a Decimal stays exact.

- ``fen`` gives a ``Decimal`` (figures sent to the regulator, fee schedules);
- ``fen_float`` the same value as a float (what a ``fields.Monetary`` stores);
- ``ratio`` a quotient to six places, None when the denominator is not positive;
- ``rmb_figures`` ¥10,000,000.00; ``rmb_in_words`` 壹仟万元整.
"""

from decimal import ROUND_HALF_UP, Decimal

import cn2an

FEN = Decimal("0.01")
RATIO_PLACES = Decimal("0.000001")


def to_decimal(value):
    """``value`` (Decimal, int, float, numeric string or None) as a Decimal; a float through its
    repr (0.1 → Decimal('0.1'), not its binary expansion), None as 0."""
    if value is None:
        return Decimal("0")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def fen(value):
    """``value`` rounded half up to the fen, as a Decimal."""
    return to_decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def fen_float(value):
    """``value`` rounded half up to the fen, as a float (617283.945 → 617283.95)."""
    return float(fen(value))


def round_half_up(value, places=2):
    """``value`` rounded half up to ``places`` decimals, as a float: for what is not an amount
    but is shown to the hundredth like one (a haircut of 59.995% is 60.00%)."""
    exponent = Decimal(1).scaleb(-places)
    return float(to_decimal(value).quantize(exponent, rounding=ROUND_HALF_UP))


def ratio(numerator, denominator, places=RATIO_PLACES):
    """``numerator / denominator`` to six places (half up), None when the denominator is not
    positive (a rate of nothing is not 0%)."""
    denominator = to_decimal(denominator)
    if denominator <= 0:
        return None
    return (to_decimal(numerator) / denominator).quantize(places, rounding=ROUND_HALF_UP)


def format_amount(amount, symbol=""):
    """``amount`` rounded to the fen with thousands separators, after ``symbol``:
    ¥1,234,567.89 (a currency's symbol), 1,234,567.89 (none)."""
    return "%s%s" % (symbol or "", f"{fen(amount or 0):,.2f}")


def rmb_figures(amount):
    """``amount`` (yuan) rounded to the fen, with thousands separators and ¥: ¥10,000,000.00,
    -¥1,234.57; an empty amount is ¥0.00."""
    value = fen(amount or 0)
    sign = "-" if value < 0 else ""
    return "%s¥%s" % (sign, f"{abs(value):,.2f}")


def rmb_in_words(amount):
    """``amount`` (yuan) in Chinese financial capitals (人民币大写), e.g. 壹仟万元整; 负… for a
    negative amount. Rounded to the fen first, so that float noise never reaches the words."""
    value = fen(amount)
    if value < 0:
        return "负" + cn2an.an2cn(str(-value), "rmb")
    return cn2an.an2cn(str(value), "rmb")
