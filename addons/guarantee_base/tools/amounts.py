"""Amounts in Chinese capitals (人民币大写): a pure function over cn2an."""

from decimal import ROUND_HALF_UP, Decimal

import cn2an


def rmb_in_words(amount):
    """Return ``amount`` (yuan) in Chinese financial capitals, e.g. 壹仟万元整.

    The amount is rounded to the fen first, so that float noise never reaches the words.
    """
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        return "负" + cn2an.an2cn(str(-value), "rmb")
    return cn2an.an2cn(str(value), "rmb")
