"""SOAP bank adapter (zeep, driven by the bank's WSDL).

The WSDL declares the operations GetBalance, GetTransactions, Transfer and TransferStatus
(document/literal); the service address is the connector's URL, so a WSDL published with an
internal address still works. A fault whose code ends in ``Refused`` is the bank's final
business refusal; any other fault says nothing definite about the payment.
"""

import requests
import zeep
import zeep.exceptions
from zeep.transports import Transport

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorMalformedResponse,
    ConnectorRejected,
    ConnectorUnavailable,
    register_adapter,
    unavailable,
)

from .base import BankAdapter, BankRefused


@register_adapter("bank", "soap")
class SoapBankAdapter(BankAdapter):
    _service = None

    def _client_service(self):
        if self._service is None:
            session = requests.Session()
            if self.config.username:
                session.auth = (self.config.username, self.config.secret)
            transport = Transport(
                session=session,
                timeout=self.config.timeout,
                operation_timeout=self.config.timeout,
            )
            try:
                client = zeep.Client(self._wsdl_url(), transport=transport)
            except requests.RequestException as error:
                raise unavailable(error, "WSDL unreachable") from None
            except (zeep.exceptions.Error, ValueError) as error:
                raise ConnectorMalformedResponse(f"Invalid WSDL: {error}") from None
            binding = next(iter(client.wsdl.bindings))
            self._service = client.create_service(binding, self.config.url)
        return self._service

    def _wsdl_url(self):
        return (self.config.options or {}).get("wsdl_url") or self.config.url + "?wsdl"

    def _invoke(self, operation, **params):
        service = self._client_service()
        try:
            return getattr(service, operation)(**params)
        except requests.RequestException as error:
            raise unavailable(error, operation) from None
        except zeep.exceptions.Fault as fault:
            if (fault.code or "").rsplit(":", 1)[-1].endswith("Refused"):
                raise BankRefused(f"Refused by the bank on {operation}: {fault.message}") from None
            raise ConnectorRejected(f"SOAP fault on {operation}: {fault.message}") from None
        except zeep.exceptions.TransportError as error:
            if error.status_code >= 500:
                raise ConnectorUnavailable(f"HTTP {error.status_code} on {operation}") from None
            if error.status_code < 300:
                raise ConnectorMalformedResponse(
                    f"Malformed answer to {operation}: {error}"
                ) from None
            raise ConnectorRejected(f"HTTP {error.status_code} on {operation}") from None
        except (zeep.exceptions.Error, ValueError, AttributeError) as error:
            raise ConnectorMalformedResponse(f"Malformed answer to {operation}: {error}") from None

    def _balance(self):
        answer = self._invoke("GetBalance", account=self.account_number)
        try:
            return {"balance": float(answer.balance), "currency": answer.currency or ""}
        except (AttributeError, TypeError, ValueError):
            raise ConnectorMalformedResponse(f"Unexpected GetBalance answer: {answer!r}") from None

    def _transactions(self, since):
        answer = self._invoke(
            "GetTransactions", account=self.account_number, since=str(since)
        )
        try:
            return [
                {
                    "id": str(item.id),
                    "date": str(item.date),
                    "amount": float(item.amount),
                    "reference": item.reference or "",
                    "partner_name": item.partnerName or "",
                    "partner_account": item.partnerAccount or "",
                }
                for item in (answer or [])
            ]
        except (AttributeError, TypeError, ValueError):
            raise ConnectorMalformedResponse("Unexpected GetTransactions answer") from None

    def _transfer(self, order):
        answer = self._invoke(
            "Transfer",
            requestId=order.request_id,
            fromAccount=self.account_number,
            toAccount=order.payee_account,
            toName=order.payee_name,
            amount=order.amount,
            currency=order.currency,
            reference=order.reference,
        )
        return self._status(answer)

    def _transfer_status(self, order):
        return self._status(self._invoke("TransferStatus", requestId=order.request_id))

    def _status(self, answer):
        return self._checked_status(
            {
                "status": getattr(answer, "status", None),
                "bank_reference": getattr(answer, "bankReference", None),
            }
        )
