"""The one inbound verifier's arithmetic: HMAC-SHA256 over ``timestamp + "." + body``.

Every inbound endpoint (bank notifications, e-signature callbacks, the partner API) signs the
same way: headers ``X-Guarantee-Timestamp`` (Unix seconds) and ``X-Guarantee-Signature`` (hex).
"""

import datetime
import hashlib
import hmac
import json
import math
import re
import time

from odoo.tools.translate import LazyTranslate

TIMESTAMP_HEADER = "X-Guarantee-Timestamp"
SIGNATURE_HEADER = "X-Guarantee-Signature"
DEFAULT_WINDOW = 300  # seconds a signed call stays valid


def sign(secret, timestamp, body):
    """The hex signature of ``body`` (bytes) sent at ``timestamp`` (str)."""
    return hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()


def signature_valid(secret, timestamp, body, signature, window=DEFAULT_WINDOW, now=None):
    """True only for a correct signature made within ``window`` seconds of ``now``.

    The time window makes a captured call useless after a few minutes; inside it, the unique
    event id (recorded by the caller) refuses a replay.
    """
    if not secret or not signature or not timestamp or not signature.isascii():
        return False
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        return False
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    return abs((now if now is not None else time.time()) - sent) <= window


class InboundMalformed(ValueError):
    """The signed body lacks what its event type needs: answered 400, the event recorded."""


class InboundRefused(Exception):
    """The signed event concerns something this connector may not touch: answered 403."""


# ---------------------------------------------------------------------- reading what comes in
#
# What an outside system sends (signed webhooks, the partner API) is read by these rules before
# anything looks at it, so that no value can crash the server or reach the database unchecked:
# a JSON object nested at most MAX_JSON_DEPTH deep, finite numbers, integers of at most 2**53
# (exact in every JSON implementation), text without control characters or lone surrogates
# (PostgreSQL refuses NUL, UTF-8 has no surrogates).

MAX_JSON_DEPTH = 20
MAX_JSON_INTEGER = 2**53
MAX_EVENT_ID = 128
# amounts above this are refused from the partner API and the signed webhooks
MAX_AMOUNT_PARAM = "guarantee_platform.inbound_max_amount"
DEFAULT_MAX_AMOUNT = 100_000_000_000
# the dates an outside system may send: wide enough for any loan, narrow enough for date sums
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2199, 12, 31)

# control characters (tab, line feed and carriage return are allowed in text) and surrogates
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

_lt = LazyTranslate(__name__)


class InboundJsonError(ValueError):
    """The body is not JSON this system accepts; ``message`` is a lazy translation (translate it
    with ``env._(error.message)``)."""

    def __init__(self, message):
        super().__init__(message._source)
        self.message = message


def _refuse_constant(name):
    raise InboundJsonError(_lt("NaN and Infinity are not numbers this system accepts."))


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise InboundJsonError(_lt("A number in the body is too large."))
    return value


def _bounded_int(text):
    if len(text) > 17:  # more digits than 2**53 has: refused before Python converts it
        raise InboundJsonError(_lt("A number in the body is too large."))
    value = int(text)
    if abs(value) > MAX_JSON_INTEGER:
        raise InboundJsonError(_lt("A number in the body is too large."))
    return value


def load_object(body, max_depth=MAX_JSON_DEPTH):
    """The JSON object in ``body`` (bytes), checked as this module's header says; raises
    InboundJsonError with the reason otherwise."""
    try:
        data = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float,
                          parse_int=_bounded_int)
    except RecursionError:
        raise InboundJsonError(_lt("The body is nested too deep.")) from None
    except InboundJsonError:
        raise
    except ValueError:  # includes a body that is not UTF-8
        raise InboundJsonError(_lt("The body is not a JSON object.")) from None
    if not isinstance(data, dict):
        raise InboundJsonError(_lt("The body is not a JSON object."))
    _check_tree(data, max_depth)
    return data


def _check_tree(data, max_depth):
    """Depth and text of every value, without recursion."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            if depth > max_depth:
                raise InboundJsonError(_lt("The body is nested too deep."))
            for key, item in value.items():
                if not text_valid(key):
                    raise InboundJsonError(_lt(
                        "The body contains control characters or invalid text."))
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > max_depth:
                raise InboundJsonError(_lt("The body is nested too deep."))
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not text_valid(value):
            raise InboundJsonError(_lt("The body contains control characters or invalid text."))


def text_valid(value, multiline=True):
    """True for text without control characters (but tab and line breaks when ``multiline``)
    nor lone surrogates."""
    return not (_BAD_TEXT if multiline else _BAD_LINE).search(value)


def clean_text(value, limit=None):
    """``value`` fit for a log line or an answer: control characters and surrogates replaced
    by U+FFFD, cut at ``limit`` characters."""
    value = _BAD_LINE.sub("\ufffd", value or "")
    return value[:limit] if limit else value


def parse_number(value):
    """``value`` as a finite float when it is a JSON number or a decimal string (booleans are
    not numbers), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str) and not _DECIMAL.fullmatch(value.strip()):
        return None
    try:
        result = float(value)
    except (OverflowError, ValueError):
        return None
    return result if math.isfinite(result) else None


def parse_integer(value):
    """``value`` as an int when it is a JSON integer or a string of digits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value)
    return None


def parse_date(value):
    """``value`` (YYYY-MM-DD) as a date between MIN_DATE and MAX_DATE, else None."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        result = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return result if MIN_DATE <= result <= MAX_DATE else None


def max_amount(env):
    """The largest amount accepted from outside (System Parameter MAX_AMOUNT_PARAM)."""
    value = env["ir.config_parameter"].sudo().get_param(MAX_AMOUNT_PARAM)
    parsed = parse_number(value) if value else None
    return parsed if parsed and parsed > 0 else DEFAULT_MAX_AMOUNT


_DECIMAL = re.compile(r"-?[0-9]{1,17}(\.[0-9]{1,17})?")
_DIGITS = re.compile(r"[0-9]{1,15}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
