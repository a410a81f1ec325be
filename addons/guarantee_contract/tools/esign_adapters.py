"""E-signature (CA) adapters: one interface, one class per protocol.

The business code calls ``create_flow(contract, signers)`` and ``download(flow_id)``; the adapter
deals with the wire: timeouts, retries with exponential backoff, and one log record per attempt
(never the API key).
"""

import abc
import base64
import time
import uuid

import requests


class EsignError(Exception):
    """The provider could not be reached or refused the request."""


class EsignAdapter(abc.ABC):
    """What the contract code needs from a CA provider."""

    Error = EsignError

    def __init__(self, provider):
        self.provider = provider

    @abc.abstractmethod
    def create_flow(self, contract, signers):
        """Open a signing flow for the contract's PDF; return the provider's flow id."""

    @abc.abstractmethod
    def download(self, flow_id):
        """Return the bytes of the signed PDF of ``flow_id``."""


class RestEsignAdapter(EsignAdapter):
    """A REST/JSON provider: ``POST /flows`` and ``GET /flows/<id>/document``."""

    def create_flow(self, contract, signers):
        pdf = contract._build_pdf()
        payload = {
            "request_id": uuid.uuid4().hex,
            "title": contract.name,
            "document": {
                "name": "%s.pdf" % contract.name,
                "content": base64.b64encode(pdf).decode(),
            },
            "signers": signers,
        }
        response = self._call("POST", "/flows", "create_flow", contract, json=payload,
                              request_id=payload["request_id"])
        try:
            flow_id = response.json()["flow_id"]
        except (ValueError, KeyError, TypeError) as error:
            raise EsignError("malformed answer to the flow creation") from error
        return str(flow_id)

    def download(self, flow_id):
        response = self._call("GET", "/flows/%s/document" % flow_id, "download", None)
        return response.content

    def _call(self, method, path, operation, contract, request_id=None, **kwargs):
        """Send the request, retrying transport errors and 5xx answers with backoff."""
        provider = self.provider
        url = provider.base_url.rstrip("/") + path
        headers = {"Authorization": "Bearer %s" % (provider.api_key or "")}
        attempts = provider.retries + 1
        last_error = None
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            status = 0
            try:
                response = requests.request(
                    method, url, headers=headers, timeout=provider.timeout, **kwargs
                )
                status = response.status_code
                if status < 400:
                    self._log(operation, contract, request_id, attempt, url, status, started, "ok")
                    return response
                last_error = EsignError("HTTP %s from the provider" % status)
            except requests.RequestException as error:
                last_error = EsignError(type(error).__name__)
            self._log(operation, contract, request_id, attempt, url, status, started, "error",
                      str(last_error))
            if 400 <= status < 500:
                break  # the request itself is wrong: repeating it changes nothing
            if attempt < attempts:
                time.sleep(provider.retry_backoff * (2 ** (attempt - 1)))
        raise last_error

    def _log(self, operation, contract, request_id, attempt, url, status, started, outcome,
             message=None):
        self.provider._log_call({
            "operation": operation,
            "contract_id": contract.id if contract else False,
            "request_id": request_id,
            "attempt": attempt,
            "url": url,
            "status_code": status,
            "duration_ms": int((time.monotonic() - started) * 1000),
            "outcome": outcome,
            "message": message,
        })


ADAPTERS = {"rest": RestEsignAdapter}
