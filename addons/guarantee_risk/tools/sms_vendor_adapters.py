"""SMS through Alibaba Cloud (阿里云短信) and Tencent Cloud (腾讯云短信), each with its own
request signature, on the shared connector framework.

Both vendors send only approved templates under an approved sign name (签名): the gateway
record holds the sign name and the default template; a collection step may name its own
template and the variables it takes. Neither SendSms takes an idempotency key, so a send is
repeated only when the request never left (a refused connection), never after a time-out.

Delivery receipts are pulled: Alibaba's QuerySendDetails per message (by BizId), Tencent's
PullSmsSendStatus for everything reported since the last pull.
"""

import base64
import datetime
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import quote

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorAdapter,
    ConnectorMalformedResponse,
    ConnectorRejected,
    ConnectorUnavailable,
    http_json,
    register_adapter,
)

RECEIPT_STATES = ("pending", "delivered", "failed")


class SmsRefused(ConnectorRejected):
    """The vendor answered with one of its error codes (``code``)."""

    code = ""


def _refused(code, message):
    error = SmsRefused(f"{code}: {message}"[:300])
    error.code = code
    return error


# ---------------------------------------------------------------------- Alibaba Cloud
# https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms
# Signature v1 (RPC style, HMAC-SHA1), https://www.alibabacloud.com/help/en/sms/signature-method :
# StringToSign = Method + "&" + percentEncode("/") + "&" + percentEncode(sorted query string),
# Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)), percentEncode being
# RFC 3986 (UTF-8, space as %20, "*" as %2A, "~" kept).


def pop_encode(value):
    return quote(str(value), safe="~")


def aliyun_string_to_sign(method, params):
    canonical = "&".join(f"{pop_encode(k)}={pop_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{pop_encode('/')}&{pop_encode(canonical)}"


def aliyun_signature(secret, method, params):
    digest = hmac.new((secret + "&").encode(), aliyun_string_to_sign(method, params).encode(),
                      hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@register_adapter("sms", "aliyun")
class AliyunSmsAdapter(ConnectorAdapter):
    """``config.username``: AccessKeyId; ``config.secret``: AccessKeySecret; options:
    sign_name, template_code, template_param (the variable the whole text goes in when no
    template of its own is given), region."""

    VERSION = "2017-05-25"

    def _options(self):
        return self.config.options or {}

    def _rpc(self, action, params, now=None, nonce=None):
        now = now or datetime.datetime.utcnow()
        query = dict(params, **{
            "AccessKeyId": self.config.username, "Action": action, "Format": "JSON",
            "RegionId": self._options().get("region") or "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0", "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": self.VERSION,
        })
        query["Signature"] = aliyun_signature(self.config.secret, "GET", query)
        try:
            data = http_json(self.config, "GET", "/", params=query)
        except ConnectorRejected as error:
            data = _json_or_none(error.body)
            if not data or "Code" not in data:
                raise
        if not isinstance(data, dict) or "Code" not in data:
            raise ConnectorMalformedResponse(f"Unexpected answer to {action}")
        if data["Code"] == "isv.BUSINESS_LIMIT_CONTROL" or data["Code"].startswith("Throttling"):
            raise ConnectorUnavailable(f"{data['Code']}: {data.get('Message')}")
        if data["Code"] != "OK":
            raise _refused(data["Code"], data.get("Message") or "")
        return data

    def send(self, request_id, number, content, template=None, params=None):
        """Send one text; the vendor's message id (BizId)."""
        options = self._options()
        template = template or options.get("template_code")
        values = params if params is not None else {
            options.get("template_param") or "content": content}
        query = {
            "PhoneNumbers": mainland_number(number), "SignName": options.get("sign_name") or "",
            "TemplateCode": template, "OutId": request_id,
            "TemplateParam": json.dumps(values, ensure_ascii=False, separators=(",", ":")),
        }
        return self._call("send_sms", lambda: self._rpc("SendSms", query)["BizId"],
                          request_id=request_id, safe=False, url=self.config.url)

    def receipts(self, pending):
        """Where the messages ``pending`` ({message_id, number, date}) are:
        [{message_id, state, date, error}] for those the vendor has an answer for."""
        answers = []
        for message in pending:
            query = {"PhoneNumber": mainland_number(message["number"]),
                     "BizId": message["message_id"],
                     "SendDate": message["date"].strftime("%Y%m%d"), "PageSize": 10,
                     "CurrentPage": 1}
            data = self._call("sms_receipts", lambda q=query: self._rpc("QuerySendDetails", q),
                              request_id=message["message_id"], url=self.config.url)
            details = ((data.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO")) or []
            for detail in details:
                state = {3: "delivered", 2: "failed"}.get(int(detail.get("SendStatus") or 1))
                if state:
                    answers.append({"message_id": message["message_id"], "state": state,
                                    "date": detail.get("ReceiveDate") or "",
                                    "error": detail.get("ErrCode") or ""})
        return answers


# ---------------------------------------------------------------------- Tencent Cloud
# https://cloud.tencent.com/document/api/382/55981 (SendSms, version 2021-01-11) and
# https://cloud.tencent.com/document/api/382/52072 (签名方法 v3, TC3-HMAC-SHA256):
# CanonicalRequest = Method \n URI \n Query \n CanonicalHeaders \n SignedHeaders \n
# hex(SHA256(body)); StringToSign = "TC3-HMAC-SHA256" \n timestamp \n date/service/tc3_request
# \n hex(SHA256(CanonicalRequest)); the key is derived HMAC("TC3" + SecretKey, date) →
# service → "tc3_request"; Signature = hex(HMAC-SHA256(key, StringToSign)).


def _hmac256(key, message):
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tc3_authorization(secret_id, secret_key, service, host, timestamp, payload,
                      content_type="application/json; charset=utf-8"):
    """The Authorization header of a POST of ``payload`` (str) at ``timestamp`` (int),
    signing the content-type and host headers."""
    date = datetime.datetime.utcfromtimestamp(timestamp).strftime("%Y-%m-%d")
    headers = {"content-type": content_type, "host": host}
    signed_headers = ";".join(sorted(headers))
    canonical_headers = "".join(f"{k}:{headers[k]}\n" for k in sorted(headers))
    canonical_request = "\n".join([
        "POST", "/", "", canonical_headers, signed_headers,
        hashlib.sha256(payload.encode()).hexdigest(),
    ])
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join([
        "TC3-HMAC-SHA256", str(timestamp), scope,
        hashlib.sha256(canonical_request.encode()).hexdigest(),
    ])
    key = _hmac256(_hmac256(_hmac256(("TC3" + secret_key).encode(), date), service),
                   "tc3_request")
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
            f"SignedHeaders={signed_headers}, Signature={signature}")


@register_adapter("sms", "tencent")
class TencentSmsAdapter(ConnectorAdapter):
    """``config.username``: SecretId; ``config.secret``: SecretKey; options: sign_name,
    template_code (TemplateId), sdk_app_id (SmsSdkAppId), region, host (the Host header the
    signature covers, sms.tencentcloudapi.com unless the URL names another)."""

    VERSION = "2021-01-11"
    SERVICE = "sms"

    def _options(self):
        return self.config.options or {}

    def _api(self, action, body, now=None):
        options = self._options()
        host = options.get("host") or "sms.tencentcloudapi.com"
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        timestamp = int(now if now is not None else time.time())
        headers = {
            "Authorization": tc3_authorization(self.config.username, self.config.secret,
                                               self.SERVICE, host, timestamp, payload),
            "Content-Type": "application/json; charset=utf-8", "Host": host,
            "X-TC-Action": action, "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": self.VERSION, "X-TC-Region": options.get("region") or "ap-guangzhou",
        }
        data = http_json(self.config, "POST", "/", headers=headers, data=payload.encode())
        response = data.get("Response") if isinstance(data, dict) else None
        if not isinstance(response, dict):
            raise ConnectorMalformedResponse(f"Unexpected answer to {action}")
        error = response.get("Error")
        if error:
            code = error.get("Code") or ""
            if code.startswith(("InternalError", "RequestLimitExceeded")):
                raise ConnectorUnavailable(f"{code}: {error.get('Message')}")
            raise _refused(code, error.get("Message") or "")
        return response

    def send(self, request_id, number, content, template=None, params=None):
        """Send one text; the vendor's message id (SerialNo)."""
        options = self._options()
        values = list(params.values()) if isinstance(params, dict) else (
            list(params) if params is not None else [content])
        body = {
            "PhoneNumberSet": [e164_number(number)],
            "SmsSdkAppId": options.get("sdk_app_id") or "",
            "SignName": options.get("sign_name") or "",
            "TemplateId": template or options.get("template_code") or "",
            "TemplateParamSet": [str(value) for value in values],
            "SessionContext": request_id,
        }

        def post():
            statuses = self._api("SendSms", body).get("SendStatusSet") or []
            if len(statuses) != 1:
                raise ConnectorMalformedResponse("SendSms answered no status for the number")
            if statuses[0].get("Code") != "Ok":
                raise _refused(statuses[0].get("Code") or "", statuses[0].get("Message") or "")
            return statuses[0]["SerialNo"]

        return self._call("send_sms", post, request_id=request_id, safe=False,
                          url=self.config.url)

    def receipts(self, pending):
        """The receipts Tencent reported since the last pull (``pending`` is not needed:
        PullSmsSendStatus answers each receipt once)."""
        body = {"Limit": 100, "SmsSdkAppId": self._options().get("sdk_app_id") or ""}
        response = self._call("sms_receipts", lambda: self._api("PullSmsSendStatus", body),
                              url=self.config.url)
        return [{
            "message_id": item.get("SerialNo") or "",
            "state": "delivered" if item.get("ReportStatus") == "SUCCESS" else "failed",
            "date": item.get("UserReceiveTime") or "",
            "error": "" if item.get("ReportStatus") == "SUCCESS" else (
                item.get("Description") or item.get("ReportStatus") or ""),
        } for item in response.get("PullSmsSendStatusSet") or []]


def mainland_number(number):
    """A number as Alibaba takes it: 11 digits for the mainland, 00 and the country code
    for the rest (E.164 "+86 138 0013 8000" → "13800138000")."""
    digits = "".join(ch for ch in number or "" if ch.isdigit() or ch == "+")
    if digits.startswith("+86"):
        return digits[3:]
    return "00" + digits[1:] if digits.startswith("+") else digits


def e164_number(number):
    """A number as Tencent takes it: +86 and the 11 digits for a mainland number."""
    digits = "".join(ch for ch in number or "" if ch.isdigit() or ch == "+")
    return digits if digits.startswith("+") else "+86" + digits


def _json_or_none(text):
    try:
        return json.loads(text or "")
    except ValueError:
        return None
