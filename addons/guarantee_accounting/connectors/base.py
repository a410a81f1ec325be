"""The bank adapter interface on the shared connector framework.

A concrete adapter implements ``_balance``, ``_transactions``, ``_transfer`` and
``_transfer_status`` for one protocol and registers itself with
``@register_adapter("bank", "rest")``; the connector record picks the class by its ``protocol``
field, so a gateway-XML or signed-JSON bank is one more class. Time-outs, backoff and the call
log are the framework's (``ConnectorAdapter``). Balance, transactions and status queries are
reads, retried after a time-out or a 5xx; a transfer is sent once, because after a time-out
nobody knows whether the bank paid: the payment order is then "Outcome Unknown" and its status
is asked before anything is sent again (only a connection that could not even be opened is
tried again at once, nothing having reached the bank).
"""

import abc
from dataclasses import dataclass, field

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorAdapter,
    ConnectorMalformedResponse,
    ConnectorRejected,
)

TRANSFER_STATUSES = ("pending", "accepted", "done", "failed")


class BankRefused(ConnectorRejected):
    """A business rejection that the bank's interface documents as final: nothing was or
    will be paid for this request id (REST: HTTP 422; SOAP: a fault coded ``Refused``)."""


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


class BankAdapter(ConnectorAdapter, abc.ABC):
    """One bank, one protocol. ``config.options`` carries ``account_number`` and, for SOAP,
    ``wsdl_url``."""

    @property
    def account_number(self):
        return (self.config.options or {}).get("account_number") or ""

    # ------------------------------------------------------------------ interface

    def balance(self):
        """{"balance": float, "currency": str} of the configured account."""
        return self._call("balance", self._balance, url=self.config.url)

    def transactions(self, since):
        """Transactions booked on or after the date ``since``, as dicts with keys
        id, date (YYYY-MM-DD), amount (signed), reference, partner_name, partner_account."""
        return self._call("transactions", self._transactions, since, url=self.config.url)

    def transfer(self, order):
        """Send the TransferRequest ``order`` once; {"status": ..., "bank_reference": ...}."""
        return self._call("transfer", self._transfer, order, request_id=order.request_id,
                          safe=False, url=self.config.url)

    def transfer_status(self, order):
        """Where the bank is with ``order``: {"status": ..., "bank_reference": ...}."""
        return self._call("transfer_status", self._transfer_status, order,
                          request_id=order.request_id, url=self.config.url)

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

    @staticmethod
    def _checked_status(data):
        """The transfer answer normalised, or ConnectorMalformedResponse."""
        if not isinstance(data, dict) or data.get("status") not in TRANSFER_STATUSES:
            raise ConnectorMalformedResponse(f"Unexpected transfer answer: {data!r}"[:500])
        return {"status": data["status"], "bank_reference": data.get("bank_reference") or ""}
