"""The one connector framework: what every adapter to an outside system shares.

Banks, the e-signature provider, registry/court/tax data providers and SMS gateways each have
adapters (one class per protocol) registered here under ``(kind, protocol)``; a configuration
record picks the class by its ``protocol`` field. The base class holds the common part: time-outs,
retries with exponential backoff *only* for calls whose repetition is known to be safe (reads,
status queries, writes carrying an idempotency key the other side honours; any other call only
when its request never reached the other side), and one log entry per attempt through the
``log`` callable (never with credentials). Business code never imports ``requests`` or ``zeep``.
"""

import time
import uuid
from dataclasses import dataclass

import requests
import urllib3

ADAPTERS = {}


class ConnectorError(Exception):
    """A call failed; ``retryable`` tells whether the same call may be sent again."""

    retryable = False
    not_sent = False
    status_code = 0
    body = ""  # the start of the other side's answer to a refused request


class ConnectorUnavailable(ConnectorError):
    """Time-out, refused connection or 5xx: the outcome is unknown, a safe call may be retried."""

    retryable = True


class ConnectorNotSent(ConnectorUnavailable):
    """The connection could not be opened: the other side never received the request, so even
    a call that is not safe to repeat (a transfer) may be sent again."""

    not_sent = True


class ConnectorRejected(ConnectorError):
    """The other side answered and refused the request (fault, 4xx, business error)."""


class ConnectorMalformedResponse(ConnectorError):
    """The other side answered something that is not a valid response of its interface."""


@dataclass
class ConnectorConfig:
    """What an adapter needs to reach its system; ``secret`` never reaches a log."""

    url: str
    username: str = ""
    secret: str = ""
    timeout: float = 10.0
    max_retries: int = 2
    backoff: float = 1.0
    options: dict = None


def redact(text, secrets):
    """``text`` with every secret of at least 4 characters replaced by ``***``."""
    for secret in secrets:
        if text and secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def register_adapter(kind, protocol):
    """Class decorator: the adapter of ``protocol`` for systems of ``kind``."""

    def decorator(cls):
        ADAPTERS[(kind, protocol)] = cls
        cls.kind = kind
        cls.protocol = protocol
        return cls

    return decorator


def get_adapter_class(kind, protocol):
    try:
        return ADAPTERS[(kind, protocol)]
    except KeyError:
        raise ConnectorError(f"No {kind} adapter for protocol {protocol!r}") from None


def protocols(kind):
    """The protocol keys registered for ``kind`` (for selection fields)."""
    return sorted(protocol for (adapter_kind, protocol) in ADAPTERS if adapter_kind == kind)


class ConnectorAdapter:
    """One outside system, one protocol. ``log(**values)`` is called once per attempt with
    operation, request_id, attempt, url, status_code, duration_ms, outcome and message."""

    kind = None
    protocol = None

    def __init__(self, config, log=None, sleep=time.sleep):
        self.config = config
        self._log = log or (lambda **values: None)
        self._sleep = sleep

    def _call(self, operation, method, *args, request_id=None, safe=True, url=""):
        """Run ``method(*args)``, retrying a retryable failure with backoff.

        A call is ``safe`` to repeat when it only reads or asks a status, or when it carries
        ``request_id`` as an idempotency key the other side honours. Any other call (a bank
        transfer) is sent again only when its request never reached the other side
        (ConnectorNotSent): after a time-out or a 5xx its outcome is unknown, and the caller
        asks the status before anything is sent again.
        """
        attempts = max(self.config.max_retries, 0) + 1
        call_id = request_id or uuid.uuid4().hex
        for attempt in range(1, attempts + 1):
            start = time.monotonic()
            try:
                result = method(*args)
            except ConnectorError as error:
                again = (error.retryable and (safe or error.not_sent)
                         and attempt < attempts)
                self._log_call(operation, call_id, attempt, url, start,
                               "retry" if again else "error", error)
                if not again:
                    raise
                self._sleep(self.config.backoff * (2 ** (attempt - 1)))
            else:
                self._log_call(operation, call_id, attempt, url, start, "ok", None)
                return result

    def _log_call(self, operation, request_id, attempt, url, start, outcome, error):
        self._log(
            operation=operation,
            request_id=request_id,
            attempt=attempt,
            url=url,
            status_code=getattr(error, "status_code", 0) if error else 200,
            duration_ms=int((time.monotonic() - start) * 1000),
            outcome=outcome,
            message=str(error)[:1000] if error else False,
        )


def never_sent(error):
    """True when the ``requests`` exception ``error`` happened before the request left: the
    connection was refused or could not be opened in time."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    if not isinstance(error, requests.ConnectionError):
        return False
    reason = error.args[0] if error.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def unavailable(error, what):
    """The ConnectorUnavailable (or ConnectorNotSent) for the ``requests`` exception ``error``."""
    cls = ConnectorNotSent if never_sent(error) else ConnectorUnavailable
    return cls(f"{type(error).__name__}: {what}")


def http_json(config, method, path, headers=None, raw=False, **kwargs):
    """One HTTP call through ``requests`` with the connector's time-out, errors classified.

    Returns the decoded JSON (or the response itself when ``raw``); raises ConnectorUnavailable
    for transport errors and 5xx, ConnectorRejected for 4xx, ConnectorMalformedResponse for a
    body that is not JSON. The error texts carry neither headers nor credentials.
    """
    url = config.url.rstrip("/") + path
    try:
        response = requests.request(method, url, headers=headers or {},
                                    timeout=config.timeout, **kwargs)
    except requests.RequestException as error:
        raise unavailable(error, f"{method} {path}") from None
    if response.status_code >= 400:
        cls = ConnectorUnavailable if response.status_code >= 500 else ConnectorRejected
        error = cls(f"HTTP {response.status_code} on {method} {path}")
        error.status_code = response.status_code
        error.body = response.text[:300]
        raise error
    if raw:
        return response
    try:
        return response.json()
    except ValueError:
        raise ConnectorMalformedResponse(
            f"Not JSON from {method} {path}: {response.text[:200]!r}"
        ) from None
