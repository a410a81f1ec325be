"""Chinese identifiers of organisations and people: pure functions, no ORM.

The 统一社会信用代码 (USCC, GB 32100-2015) identifies an organisation; a person is identified
by the 18-digit 居民身份证号码 (GB 11643-1999). Both end in a check character, which
python-stdnum verifies. ``make_uscc`` and ``make_resident_id`` build valid numbers for demo
data, generated files and tests (one generator for all of them).
"""

import re

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

from .cn_text import clean_text

# A USCC or a resident ID inside a longer text (OCR lines): characters a USCC may hold.
USCC_PATTERN = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}")
RESIDENT_ID_PATTERN = re.compile(r"\d{17}[\dX]")
# GB 11714 organisation code: the check character of its first 8 characters.
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


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


def check_identifier(number):
    """(number, 'company' | 'person', reason or None) for a USCC or an 18-digit resident ID
    as a sheet or a form gives it (full-width, spaces, dashes).

    A number valid as either is that; otherwise a number whose birth date and region read as
    an ID card's is a person with a wrong check digit, anything else a company."""
    number = clean_text(number).upper().replace("-", "")
    if uscc.is_valid(number):
        return number, "company", None
    if RESIDENT_ID_PATTERN.fullmatch(number):
        try:
            ric.validate(number)
        except InvalidChecksum:
            return number, "person", "wrong ID card check digit"
        except StdnumError:
            pass
        else:
            return number, "person", None
    if len(number) != 18:
        return number, "company", "a USCC has 18 characters"
    return number, "company", "wrong USCC check character"


def make_uscc(region, org8, kind="91"):
    """A valid USCC: ``kind`` (91 = enterprise), the 6-digit ``region``, the 8 characters
    ``org8`` of the organisation code with its GB 11714 check character, then the GB 32100
    check character of the whole."""
    weighted = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(org8, _ORG_WEIGHTS, strict=True))
    rest = 11 - weighted % 11
    org_check = {10: "X", 11: "0"}.get(rest, str(rest))
    body = kind + region + org8 + org_check
    return body + uscc.calc_check_digit(body)


def make_resident_id(body17):
    """A valid resident ID number: the 17 digits ``body17`` (region, birth date, serial) and
    their check digit."""
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum expects a placeholder digit
