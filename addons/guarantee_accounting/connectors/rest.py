"""REST/JSON bank adapter (requests, through the framework's ``http_json``).

Interface of the bank: ``GET {url}/accounts/{account}/balance``,
``GET {url}/accounts/{account}/transactions?since=YYYY-MM-DD``, ``POST {url}/transfers`` (the
request id in the body and in the ``Idempotency-Key`` header), ``GET {url}/transfers/{id}``;
bearer token authentication. HTTP 422 is the bank's final business refusal; any other 4xx
(a 409 "duplicate", a 404 on a status) says nothing definite about the payment.
"""

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorMalformedResponse,
    ConnectorRejected,
    http_json,
    register_adapter,
)

from .base import BankAdapter, BankRefused


@register_adapter("bank", "rest")
class RestBankAdapter(BankAdapter):
    def _request(self, method, path, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.config.secret:
            headers["Authorization"] = f"Bearer {self.config.secret}"
        try:
            return http_json(self.config, method, path, headers=headers, **kwargs)
        except ConnectorRejected as error:
            if error.status_code == 422:
                raise BankRefused(f"Refused by the bank: {error.body}") from None
            raise ConnectorRejected(f"{error}: {error.body}") from None

    def _account_path(self):
        return f"/accounts/{self.account_number}"

    def _balance(self):
        data = self._request("GET", self._account_path() + "/balance")
        try:
            return {"balance": float(data["balance"]), "currency": data.get("currency") or ""}
        except (KeyError, TypeError, ValueError):
            raise ConnectorMalformedResponse(
                f"Unexpected balance answer: {data!r}"[:500]
            ) from None

    def _transactions(self, since):
        data = self._request(
            "GET", self._account_path() + "/transactions", params={"since": str(since)}
        )
        try:
            return [
                {
                    "id": str(item["id"]),
                    "date": item["date"],
                    "amount": float(item["amount"]),
                    "reference": item.get("reference") or "",
                    "partner_name": item.get("partner_name") or "",
                    "partner_account": item.get("partner_account") or "",
                }
                for item in data["transactions"]
            ]
        except (KeyError, TypeError, ValueError):
            raise ConnectorMalformedResponse(
                f"Unexpected transactions answer: {data!r}"[:500]
            ) from None

    def _transfer(self, order):
        data = self._request(
            "POST",
            "/transfers",
            headers={"Idempotency-Key": order.request_id},
            json={
                "request_id": order.request_id,
                "from_account": self.account_number,
                "to_account": order.payee_account,
                "to_name": order.payee_name,
                "amount": order.amount,
                "currency": order.currency,
                "reference": order.reference,
            },
        )
        return self._checked_status(data)

    def _transfer_status(self, order):
        return self._checked_status(self._request("GET", f"/transfers/{order.request_id}"))
