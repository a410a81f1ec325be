"""The bank adapter interface: what business code calls, whatever the bank's protocol.

A concrete adapter implements ``_balance``, ``_transactions``, ``_transfer`` and
``_transfer_status`` for one protocol and registers itself under a protocol key with
``@register_adapter("rest")``; the connector record picks the class by its ``protocol`` field, so
a gateway-XML or signed-JSON bank is one more class. This module holds the common part: time-outs
and retries with exponential backoff, and one log entry per call (through the ``log`` callable
given by the caller, never with credentials).
"""

import abc
import time
import uuid
from dataclasses import dataclass, field

from odoo.addons.guarantee_base.tools.connectors import ConnectorError

ADAPTERS = {}

TRANSFER_STATUSES = ("pending", "accepted", "done", "failed")


class BankError(ConnectorError):
    """A bank call failed; ``retryable`` tells whether the same call may be sent again."""

    retryable = False


class BankUnavailable(BankError):
    """Time-out, refused connection or 5xx: the outcome is unknown, the call may be retried."""

    retryable = True


class BankRejected(BankError):
    """The bank answered and refused the request (fault, 4xx, business error)."""


class BankRefused(BankRejected):
    """A business rejection that the bank's interface documents as final: nothing was or
    will be paid for this request id (REST: HTTP 422; SOAP: a fault coded ``Refused``)."""


class BankMalformedResponse(BankError):
    """The bank answered something that is not a valid response of its interface."""


@dataclass
class BankConfig:
    url: str
    account_number: str
    wsdl_url: str = ""
    username: str = ""
    secret: str = ""
    timeout: float = 10.0
    max_retries: int = 2
    backoff: float = 1.0


@dataclass
class TransferRequest:
    """A payment order as the bank sees it; ``request_id`` is the idempotency key."""

    request_id: str
    amount: float
    currency: str
    payee_name: str
    payee_account: str
    reference: str
    extra: dict = field(default_factory=dict)


def register_adapter(protocol):
    def decorator(cls):
        ADAPTERS[protocol] = cls
        cls.protocol = protocol
        return cls

    return decorator


def get_adapter_class(protocol):
    try:
        return ADAPTERS[protocol]
    except KeyError:
        raise BankError(f"No bank adapter for protocol {protocol!r}") from None


class BankAdapter(abc.ABC):
    """One bank, one protocol. Public methods retry what may be retried and log every attempt.

    ``log(operation=, request_id=, duration_ms=, outcome=, error=)`` is called once per attempt.
    """

    protocol = None

    def __init__(self, config, log=None, sleep=time.sleep):
        self.config = config
        self._log = log or (lambda **values: None)
        self._sleep = sleep

    # ------------------------------------------------------------------ interface

    def balance(self):
        """{"balance": float, "currency": str} of the configured account."""
        return self._call("balance", None, self._balance)

    def transactions(self, since):
        """Transactions booked on or after the date ``since``, as dicts with keys
        id, date (YYYY-MM-DD), amount (signed), reference, partner_name, partner_account."""
        return self._call("transactions", None, self._transactions, since)

    def transfer(self, order):
        """Send the TransferRequest ``order``; {"status": ..., "bank_reference": ...}.
        Every retry carries the same ``order.request_id`` so the bank pays at most once."""
        return self._call("transfer", order.request_id, self._transfer, order)

    def transfer_status(self, order):
        """Where the bank is with ``order``: {"status": ..., "bank_reference": ...}."""
        return self._call("transfer_status", order.request_id, self._transfer_status, order)

    # ------------------------------------------------------------------ protocol part

    @abc.abstractmethod
    def _balance(self):
        raise NotImplementedError

    @abc.abstractmethod
    def _transactions(self, since):
        raise NotImplementedError

    @abc.abstractmethod
    def _transfer(self, order):
        raise NotImplementedError

    @abc.abstractmethod
    def _transfer_status(self, order):
        raise NotImplementedError

    # ------------------------------------------------------------------ common part

    def _call(self, operation, request_id, method, *args):
        attempts = max(self.config.max_retries, 0) + 1
        for attempt in range(attempts):
            call_id = request_id or uuid.uuid4().hex
            start = time.monotonic()
            try:
                result = method(*args)
            except BankError as error:
                self._log_call(operation, call_id, start, "retry" if (
                    error.retryable and attempt + 1 < attempts) else "error", error)
                if not error.retryable or attempt + 1 >= attempts:
                    raise
                self._sleep(self.config.backoff * (2**attempt))
            else:
                self._log_call(operation, call_id, start, "ok", None)
                return result

    def _log_call(self, operation, request_id, start, outcome, error):
        self._log(
            operation=operation,
            request_id=request_id,
            duration_ms=int((time.monotonic() - start) * 1000),
            outcome=outcome,
            error=str(error) if error else False,
        )

    @staticmethod
    def _checked_status(data):
        """The transfer answer normalised, or BankMalformedResponse."""
        if not isinstance(data, dict) or data.get("status") not in TRANSFER_STATUSES:
            raise BankMalformedResponse(f"Unexpected transfer answer: {data!r}"[:500])
        return {"status": data["status"], "bank_reference": data.get("bank_reference") or ""}
