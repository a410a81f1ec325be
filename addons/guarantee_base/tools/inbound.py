"""The one inbound verifier's arithmetic: HMAC-SHA256 over ``timestamp + "." + body``.

Every inbound endpoint (bank notifications, e-signature callbacks, the partner API) signs the
same way: headers ``X-Guarantee-Timestamp`` (Unix seconds) and ``X-Guarantee-Signature`` (hex).
"""

import hashlib
import hmac
import time

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
    if not secret or not signature or not timestamp:
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
