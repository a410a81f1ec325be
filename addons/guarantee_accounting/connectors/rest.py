"""REST/JSON bank adapter (requests).

Interface of the bank: ``GET {url}/accounts/{account}/balance``,
``GET {url}/accounts/{account}/transactions?since=YYYY-MM-DD``, ``POST {url}/transfers`` (the
request id in the body and in the ``Idempotency-Key`` header), ``GET {url}/transfers/{id}``;
bearer token authentication. HTTP 422 is the bank's final business refusal; any other 4xx
(a 409 "duplicate", a 404 on a status) says nothing definite about the payment.
"""

import requests

from .base import (
    BankAdapter,
    BankMalformedResponse,
    BankRefused,
    BankRejected,
    BankUnavailable,
    register_adapter,
)


@register_adapter("rest")
class RestBankAdapter(BankAdapter):
    def _request(self, method, path, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.config.secret:
            headers["Authorization"] = f"Bearer {self.config.secret}"
        try:
            response = requests.request(
                method,
                self.config.url.rstrip("/") + path,
                headers=headers,
                timeout=self.config.timeout,
                **kwargs,
            )
        except (requests.Timeout, requests.ConnectionError) as error:
            raise BankUnavailable(f"{type(error).__name__}: {method} {path}") from None
        if response.status_code >= 500:
            raise BankUnavailable(f"HTTP {response.status_code} on {method} {path}")
        if response.status_code == 422:
            raise BankRefused(f"Refused by the bank: {response.text[:300]}")
        if response.status_code >= 400:
            raise BankRejected(f"HTTP {response.status_code}: {response.text[:300]}")
        try:
            return response.json()
        except ValueError:
            raise BankMalformedResponse(
                f"Not JSON from {method} {path}: {response.text[:200]!r}"
            ) from None

    def _account_path(self):
        return f"/accounts/{self.config.account_number}"

    def _balance(self):
        data = self._request("GET", self._account_path() + "/balance")
        try:
            return {"balance": float(data["balance"]), "currency": data.get("currency") or ""}
        except (KeyError, TypeError, ValueError):
            raise BankMalformedResponse(f"Unexpected balance answer: {data!r}"[:500]) from None

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
            raise BankMalformedResponse(
                f"Unexpected transactions answer: {data!r}"[:500]
            ) from None

    def _transfer(self, order):
        data = self._request(
            "POST",
            "/transfers",
            headers={"Idempotency-Key": order.request_id},
            json={
                "request_id": order.request_id,
                "from_account": self.config.account_number,
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
