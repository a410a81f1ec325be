"""Chinese identifiers of customers: pure functions, no ORM.

The 统一社会信用代码 (USCC, GB 32100-2015) identifies an organisation; a person is identified
by the 18-digit 居民身份证号码 (GB 11643-1999). Both end in a check character, which
python-stdnum verifies.
"""

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


def normalize(number):
    """Return the number without spaces or dashes, upper-cased ('' for empty input)."""
    return (number or "").replace(" ", "").replace("-", "").strip().upper()


def is_valid_uscc(number):
    """True when ``number`` is an 18-character USCC with a correct check character."""
    try:
        uscc.validate(normalize(number))
    except StdnumError:
        return False
    return True


def is_valid_resident_id(number):
    """True when ``number`` is an 18-digit resident ID with a correct check digit."""
    number = normalize(number)
    if len(number) != 18:
        return False
    try:
        ric.validate(number)
    except StdnumError:
        return False
    return True
