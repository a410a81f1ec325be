"""e签宝's open API v3 on 127.0.0.1: the request signature is checked as the platform
documents it (written here from the documentation, not taken from the adapter), files are
uploaded to the URL it hands out, flows are opened and their signed file served."""

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl, urlsplit

from odoo.addons.guarantee_platform.tests.fake_servers import LocalServer


class FakeEsign:
    def __init__(self, app_id="7438888888", secret="appSecret001", hang=0.0):
        self.app_id, self.secret, self.hang = app_id, secret, hang
        self.files = {}  # fileId -> bytes uploaded
        self.flows = {}  # signFlowId -> request payload
        self.fail_create_with = None  # (code, message) for the next flow creation
        self.server = LocalServer(self.handle)

    def _signature_ok(self, method, path, headers, body):
        parts = urlsplit(path)
        query = "&".join("%s=%s" % pair for pair in sorted(parse_qsl(parts.query)))
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode() if body else ""
        if headers.get("Content-MD5", "") != md5:
            return False
        to_sign = "%s\n%s\n%s\n%s\n\n%s" % (
            method, headers.get("Accept"), md5, headers.get("Content-Type"),
            parts.path + ("?" + query if query else ""))
        expected = base64.b64encode(hmac.new(self.secret.encode(), to_sign.encode(),
                                             hashlib.sha256).digest()).decode()
        return headers.get("X-Tsign-Open-App-Id") == self.app_id and \
            headers.get("X-Tsign-Open-Ca-Signature") == expected

    @staticmethod
    def _answer(code=0, message="成功", data=None):
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"code": code, "message": message, "data": data}, ensure_ascii=False).encode()

    def handle(self, method, path, headers, body):
        route = urlsplit(path).path
        if route.startswith("/oss/"):  # the upload and download URLs it hands out
            file_id = route.rsplit("/", 1)[1]
            if method == "PUT":
                md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
                if headers.get("Content-MD5") != md5:
                    return 400, {}, b"md5 mismatch"
                self.files[file_id] = body
                return 200, {}, b""
            return 200, {"Content-Type": "application/pdf"}, self.files[file_id]
        if not self._signature_ok(method, path, headers, body):
            return self._answer(401, "INVALID_SIGNATURE")
        if route == "/v3/files/file-upload-url":
            data = json.loads(body)
            file_id = "file%03d" % (len(self.files) + 1)
            self.files[file_id] = None
            return self._answer(data={"fileId": file_id, "fileUploadUrl": "%s/oss/%s" % (
                self.server.url, file_id), "md5": data["contentMd5"]})
        if route == "/v3/sign-flow/create-by-file":
            if self.fail_create_with:
                code, message = self.fail_create_with
                self.fail_create_with = None
                return self._answer(code, message)
            flow_id = "flow%03d" % (len(self.flows) + 1)
            self.flows[flow_id] = json.loads(body)
            if self.hang:  # the flow is open, the answer comes too late
                time.sleep(self.hang)
            return self._answer(data={"signFlowId": flow_id})
        if route.endswith("/file-download-url"):
            flow_id = route.split("/")[3]
            file_id = self.flows[flow_id]["docs"][0]["fileId"]
            self.files["signed-" + file_id] = self.files[file_id] + b"\n%e-signed\n"
            return self._answer(data={"files": [{
                "fileId": file_id, "fileName": "signed.pdf",
                "downloadUrl": "%s/oss/signed-%s" % (self.server.url, file_id)}]})
        return self._answer(404, "not found")
