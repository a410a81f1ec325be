"""e签宝 (esign.cn) open API v3 on the shared connector framework.

Why e签宝: the largest Chinese e-signature platform, whose v3 API is published openly
(https://open.esign.cn/doc/opendoc/auth3/), with a documented request signature (HMAC-SHA256
over a canonical string) and signed callbacks, and a sandbox for the company's own tests.

Requests (https://open.esign.cn/doc/opendoc/file-and-template3/rlh256 and
.../pdf-sign3/su5g42 for the flow): the headers X-Tsign-Open-App-Id, X-Tsign-Open-Auth-Mode
("Signature"), X-Tsign-Open-Ca-Timestamp (Unix ms), Accept "*/*", Content-Type, Content-MD5
(base64 of the body's MD5) and X-Tsign-Open-Ca-Signature = base64(HMAC-SHA256(AppSecret,
Method \n Accept \n Content-MD5 \n Content-Type \n Date \n PathAndParameters)) with an empty
Date and the query parameters sorted. Answers are {"code", "message", "data"}, code 0 success.

A contract is signed in three calls: ask for an upload URL (POST /v3/files/file-upload-url,
the file's MD5 and size), PUT the PDF there, open the flow (POST
/v3/sign-flow/create-by-file) with one signer per party and a seal field at the position the
PDF pipeline drew that party's seal circle. The platform calls back (SIGN_FLOW_COMPLETE)
with X-Tsign-Open-SIGNATURE = hex(HMAC-SHA256(AppSecret, timestamp + query + body)); the
signed file is then fetched from GET /v3/sign-flow/{id}/file-download-url.
"""

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl, urlsplit

import requests

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorAdapter,
    ConnectorMalformedResponse,
    ConnectorRejected,
    http_json,
    register_adapter,
    unavailable,
)

MM = 72 / 25.4
JSON_TYPE = "application/json; charset=UTF-8"
# signFlowStatus of the callback and of the flow: 2 done, 3 revoked, 5 expired, 7 refused
FLOW_STATUSES = {2: "signed", 3: "refused", 5: "expired", 7: "refused"}
CALLBACK_WINDOW_MS = 300000


def content_md5(body):
    return base64.b64encode(hashlib.md5(body).digest()).decode()


def canonical_path(path):
    """The path with its query parameters sorted by name (PathAndParameters)."""
    parts = urlsplit(path)
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    if not query:
        return parts.path
    return parts.path + "?" + "&".join(f"{k}={v}" if v != "" else k for k, v in query)


def request_signature(secret, method, path, md5="", content_type=JSON_TYPE, accept="*/*"):
    to_sign = "\n".join([method, accept, md5, content_type, ""]) + "\n" + canonical_path(path)
    return base64.b64encode(hmac.new(secret.encode(), to_sign.encode(),
                                     hashlib.sha256).digest()).decode()


def callback_signature(secret, timestamp, query, body):
    """hex(HMAC-SHA256(AppSecret, timestamp + query + body)) of a callback."""
    return hmac.new(secret.encode(), str(timestamp).encode() + (query or "").encode() + body,
                    hashlib.sha256).hexdigest()


def callback_valid(secret, timestamp, query, body, signature, now_ms=None):
    if not (secret and timestamp and signature):
        return False
    expected = callback_signature(secret, timestamp, query, body)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        return False
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    return abs(now_ms - sent) <= CALLBACK_WINDOW_MS


@register_adapter("esign", "esign_v3")
class EsignV3Adapter(ConnectorAdapter):
    """``config.username``: the AppId; ``config.secret``: the AppSecret; options:
    notify_url (where the platform calls back)."""

    def _headers(self, method, path, body=b""):
        md5 = content_md5(body) if body else ""
        return {
            "X-Tsign-Open-App-Id": self.config.username,
            "X-Tsign-Open-Auth-Mode": "Signature",
            "X-Tsign-Open-Ca-Timestamp": str(int(time.time() * 1000)),
            "Accept": "*/*",
            "Content-Type": JSON_TYPE,
            "Content-MD5": md5,
            "X-Tsign-Open-Ca-Signature": request_signature(self.config.secret, method, path,
                                                           md5),
        }

    def _api(self, method, path, payload=None):
        body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
        try:
            data = http_json(self.config, method, path, headers=self._headers(method, path, body),
                             data=body or None)
        except ConnectorRejected as error:
            data = _json_or_none(error.body)
            if not isinstance(data, dict) or "code" not in data:
                raise
        if not isinstance(data, dict) or "code" not in data:
            raise ConnectorMalformedResponse(f"Unexpected answer to {path}")
        if data["code"] != 0:
            raise ConnectorRejected(f"e签宝 {data['code']}: {data.get('message')}")
        return data.get("data") or {}

    def _put_file(self, url, pdf, md5):
        try:
            response = requests.put(url, data=pdf, timeout=self.config.timeout, headers={
                "Content-MD5": md5, "Content-Type": "application/pdf"})
        except requests.RequestException as error:
            raise unavailable(error, "file upload") from None
        if response.status_code >= 300:
            raise ConnectorRejected(f"HTTP {response.status_code} on the file upload")

    def create_flow(self, request_id, title, pdf, signers):
        """Upload ``pdf`` and open a flow with one signer per party; the signFlowId.

        Each signer: name, id_number, mobile, is_company, and "seal" (a position of the PDF
        pipeline: page, x_mm, y_mm, size_mm) where its seal field goes.
        """
        md5 = content_md5(pdf)
        upload = self._call("upload_url", lambda: self._api("POST", "/v3/files/file-upload-url", {
            "contentMd5": md5, "contentType": "application/pdf", "fileName": f"{title}.pdf",
            "fileSize": len(pdf), "convertToPDF": False,
        }), request_id=request_id, url=self.config.url)
        try:
            file_id, upload_url = upload["fileId"], upload["fileUploadUrl"]
        except (KeyError, TypeError):
            raise ConnectorMalformedResponse("malformed answer to the upload request") from None
        self._call("upload", self._put_file, upload_url, pdf, md5, request_id=request_id,
                   url=upload_url)
        payload = {
            "docs": [{"fileId": file_id, "fileName": f"{title}.pdf"}],
            "signFlowConfig": {
                "signFlowTitle": title, "autoFinish": True,
                "notifyUrl": (self.config.options or {}).get("notify_url") or "",
            },
            "signers": [self._signer(signer, file_id) for signer in signers],
        }

        def create():
            data = self._api("POST", "/v3/sign-flow/create-by-file", payload)
            if not data.get("signFlowId"):
                raise ConnectorMalformedResponse("no signFlowId in the flow creation answer")
            return str(data["signFlowId"])

        # no idempotency key at e签宝: sent again only when it never left
        return self._call("create_flow", create, request_id=request_id, safe=False,
                          url=self.config.url)

    @staticmethod
    def _signer(signer, file_id):
        field = {"fileId": file_id, "normalSignFieldConfig": {"signFieldStyle": 1}}
        seal = signer.get("seal")
        if seal:
            # e签宝 places the centre of the seal, in points from the page's lower left
            field["normalSignFieldConfig"]["signFieldPosition"] = {
                "positionPage": str(seal["page"]),
                "positionX": round((seal["x_mm"] + seal["size_mm"] / 2) * MM, 2),
                "positionY": round((seal["y_mm"] + seal["size_mm"] / 2) * MM, 2),
            }
        person = {"psnAccount": signer.get("mobile") or signer.get("email") or "",
                  "psnInfo": {"psnName": signer["name"]}}
        if signer.get("is_company"):
            return {"signerType": 1, "orgSignerInfo": {
                "orgName": signer["name"],
                "orgInfo": {"orgIDCardNum": signer.get("id_number") or "",
                            "orgIDCardType": "CRED_ORG_USCC"},
                "transactorInfo": {"psnAccount": person["psnAccount"]},
            }, "signFields": [field]}
        if signer.get("id_number"):
            person["psnInfo"].update(psnIDCardNum=signer["id_number"],
                                     psnIDCardType="CRED_PSN_CH_IDCARD")
        return {"signerType": 0, "psnSignerInfo": person, "signFields": [field]}

    def download(self, flow_id):
        """The bytes of the signed PDF of ``flow_id``."""
        path = f"/v3/sign-flow/{flow_id}/file-download-url"
        data = self._call("download_url", lambda: self._api("GET", path), url=self.config.url)
        try:
            url = data["files"][0]["downloadUrl"]
        except (KeyError, IndexError, TypeError):
            raise ConnectorMalformedResponse("no signed file in the download answer") from None

        def fetch():
            try:
                response = requests.get(url, timeout=self.config.timeout)
            except requests.RequestException as error:
                raise unavailable(error, "signed file download") from None
            if response.status_code >= 300:
                raise ConnectorRejected(f"HTTP {response.status_code} on the signed file")
            return response.content

        return self._call("download", fetch, url=url)


def _json_or_none(text):
    try:
        return json.loads(text or "")
    except ValueError:
        return None
