"""Amounts in figures as Chinese contracts write them: ¥10,000,000.00."""

from decimal import ROUND_HALF_UP, Decimal


def rmb_figures(amount):
    """``amount`` (yuan) rounded half-up to the fen, with thousands separators and ¥."""
    value = Decimal(str(amount or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return "%s¥%s" % (sign, f"{abs(value):,.2f}")
