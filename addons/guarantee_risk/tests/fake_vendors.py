"""Local stand-ins, on 127.0.0.1, for the SMS and registry vendors, each speaking its
vendor's protocol as documented: the request signature is checked the vendor's way (written
here again from the documentation, not taken from the adapters), answers and error codes
have the vendor's shape.
"""

import base64
import datetime
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl, quote, urlsplit

from odoo.addons.guarantee_platform.tests.fake_servers import LocalServer


def _json(status, data):
    return status, {"Content-Type": "application/json;charset=utf-8"}, json.dumps(
        data, ensure_ascii=False).encode()


class FakeAliyunSms:
    """dysmsapi.aliyuncs.com: SendSms and QuerySendDetails over signed GET (signature v1)."""

    def __init__(self, key_id="LTAI5tTestKeyId", secret="aliyun-secret-0001", hang=0.0):
        self.key_id, self.secret, self.hang = key_id, secret, hang
        self.sent = []  # query dicts of the texts taken
        self.refuse_with = None  # an isv.* code to refuse the next SendSms with
        self.status = {}  # BizId -> (SendStatus, ErrCode)

    def server(self):
        return LocalServer(self.handle)

    def _expected_signature(self, params):
        def enc(text):
            return quote(text, safe="-_.~")

        pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
        canonical = "&".join(enc(k) + "=" + enc(v) for k, v in pairs)
        to_sign = "GET&%2F&" + enc(canonical)
        return base64.b64encode(hmac.new((self.secret + "&").encode(), to_sign.encode(),
                                         hashlib.sha1).digest()).decode()

    def handle(self, method, path, headers, body):
        params = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
        if params.get("AccessKeyId") != self.key_id:
            return _json(404, {"Code": "InvalidAccessKeyId.NotFound",
                               "Message": "Specified access key is not found."})
        if params.get("Signature") != self._expected_signature(params):
            return _json(400, {"Code": "SignatureDoesNotMatch",
                               "Message": "Specified signature is not matched with our "
                               "calculation."})
        if self.hang:
            time.sleep(self.hang)
        action = params.get("Action")
        if action == "SendSms":
            if self.refuse_with:
                code, self.refuse_with = self.refuse_with, None
                return _json(200, {"Code": code, "Message": code, "RequestId": "R-1"})
            self.sent.append(params)
            biz_id = "9006197469364984%04d^0" % len(self.sent)
            self.status[biz_id] = (1, "")
            return _json(200, {"Code": "OK", "Message": "OK", "BizId": biz_id,
                               "RequestId": "R-%d" % len(self.sent)})
        if action == "QuerySendDetails":
            status, error = self.status.get(params.get("BizId"), (None, None))
            details = [] if status is None else [{
                "PhoneNum": params["PhoneNumber"], "SendStatus": status, "ErrCode": error,
                "TemplateCode": "SMS_1", "Content": "…", "SendDate": "2026-04-01 10:00:00",
                "ReceiveDate": "2026-04-01 10:00:05" if status == 3 else "", "OutId": "",
            }]
            return _json(200, {"Code": "OK", "Message": "OK", "TotalCount": len(details),
                               "SmsSendDetailDTOs": {"SmsSendDetailDTO": details}})
        return _json(400, {"Code": "InvalidAction.NotFound", "Message": action})


class FakeTencentSms:
    """sms.tencentcloudapi.com: SendSms and PullSmsSendStatus, JSON POST signed with
    TC3-HMAC-SHA256."""

    def __init__(self, secret_id="AKIDtestSecretId", secret_key="tencent-secret-key-0001"):
        self.secret_id, self.secret_key = secret_id, secret_key
        self.sent = []
        self.number_code = "Ok"  # the per-number Code of the next SendSms
        self.reports = []

    def server(self):
        return LocalServer(self.handle)

    def _check(self, headers, body):
        authorization = headers.get("Authorization") or ""
        timestamp = int(headers.get("X-TC-Timestamp") or 0)
        date = datetime.datetime.utcfromtimestamp(timestamp).strftime("%Y-%m-%d")
        canonical = "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s" % (
            headers.get("Content-Type"), headers.get("Host"), hashlib.sha256(body).hexdigest())
        to_sign = "TC3-HMAC-SHA256\n%d\n%s/sms/tc3_request\n%s" % (
            timestamp, date, hashlib.sha256(canonical.encode()).hexdigest())
        key = ("TC3" + self.secret_key).encode()
        for part in (date, "sms", "tc3_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = "TC3-HMAC-SHA256 Credential=%s/%s/sms/tc3_request, SignedHeaders=" \
                   "content-type;host, Signature=%s" % (
                       self.secret_id, date,
                       hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest())
        return authorization == expected and abs(time.time() - timestamp) < 300

    def handle(self, method, path, headers, body):
        action = headers.get("X-TC-Action")
        if not self._check(headers, body):
            return _json(200, {"Response": {"Error": {
                "Code": "AuthFailure.SignatureFailure",
                "Message": "The provided credentials could not be validated."},
                "RequestId": "r-0"}})
        data = json.loads(body)
        if action == "SendSms":
            code, self.number_code = self.number_code, "Ok"
            self.sent.append(data)
            serial = "2433:%d" % (4000000000 + len(self.sent))
            return _json(200, {"Response": {"SendStatusSet": [{
                "SerialNo": serial, "PhoneNumber": data["PhoneNumberSet"][0], "Fee": 1,
                "SessionContext": data.get("SessionContext", ""), "Code": code,
                "Message": "send success" if code == "Ok" else code, "IsoCode": "CN",
            }], "RequestId": "r-%d" % len(self.sent)}})
        if action == "PullSmsSendStatus":
            reports, self.reports = self.reports, []
            return _json(200, {"Response": {"PullSmsSendStatusSet": reports,
                                            "RequestId": "r-pull"}})
        return _json(200, {"Response": {"Error": {"Code": "InvalidAction",
                                                  "Message": action}, "RequestId": "r"}})


class FakeQichacha:
    """api.qichacha.com: each API at its path, the key in the query, Token and Timespan in
    the headers; {"Status", "Message", "OrderNumber", "Result"}."""

    def __init__(self, app_key="AppKey001", secret_key="SecretKey001", hang=0.0):
        self.app_key, self.secret_key, self.hang = app_key, secret_key, hang
        self.results = {}  # path -> Result (None: Status 201, nothing found)
        self.status = None  # a Status to answer every call with (101, 102…)

    def server(self):
        return LocalServer(self.handle)

    def handle(self, method, path, headers, body):
        parts = urlsplit(path)
        query = dict(parse_qsl(parts.query))
        token = hashlib.md5((query.get("key", "") + headers.get("Timespan", "")
                             + self.secret_key).encode()).hexdigest().upper()
        if query.get("key") != self.app_key or headers.get("Token") != token:
            return _json(200, {"Status": "101", "Message": "当前的KEY无效或者还未生效中",
                               "OrderNumber": ""})
        if self.hang:
            time.sleep(self.hang)
        if self.status:
            return _json(200, {"Status": self.status, "Message": "账户余额不足",
                               "OrderNumber": ""})
        result = self.results.get(parts.path)
        if result is None:
            return _json(200, {"Status": "201", "Message": "查询无结果", "OrderNumber": "Q0"})
        return _json(200, {"Status": "200", "Message": "查询成功", "OrderNumber": "Q1",
                           "Result": result})


class FakeTianyancha:
    """open.api.tianyancha.com: the token in the Authorization header;
    {"error_code", "reason", "result"}."""

    def __init__(self, token="tyc-token-0001"):
        self.token = token
        self.results = {}  # path -> result (None: 300000, nothing found)
        self.busy = 0  # how many next calls answer 300004 (too frequent)

    def server(self):
        return LocalServer(self.handle)

    def handle(self, method, path, headers, body):
        if headers.get("Authorization") != self.token:
            return _json(200, {"error_code": 300002, "reason": "账号失效", "result": None})
        if self.busy:
            self.busy -= 1
            return _json(200, {"error_code": 300004, "reason": "访问频率过快", "result": None})
        result = self.results.get(urlsplit(path).path)
        if result is None:
            return _json(200, {"error_code": 300000, "reason": "经查无结果", "result": None})
        return _json(200, {"error_code": 0, "reason": "ok", "result": result})
