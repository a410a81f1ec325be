"""Local servers that stand in for banks, registries and CA providers in tests.

Each server listens on 127.0.0.1 on a free port, in a daemon thread, and is used as a context
manager::

    with JsonServer(handler) as server:
        connector.url = server.url

``handler(method, path, headers, body) -> (status, headers, body)`` decides each answer, so a
test can script accepted transfers, time-outs (``time.sleep`` past the client timeout),
malformed bodies or duplicate callbacks; a handler that returns None drops the connection
without answering. Every request is kept in ``server.requests``.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from lxml import etree

from odoo.tests.common import _super_send


class KeepLocalTimeouts:
    """Test-case mixin: requests to the local servers keep the connector's own time-out (the
    test framework raises every time-out to 10 s), so a time-out test takes a second."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urlparse(r.url).hostname == "127.0.0.1":
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server = self.server
        record = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers),
            "body": body,
        }
        server.requests.append(record)
        answer = server.handler(self.command, self.path, self.headers, body)
        if answer is None:
            self.close_connection = True  # a dropped connection: no answer at all
            return
        status, headers, payload = answer
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload).encode()
            headers = dict({"Content-Type": "application/json"}, **(headers or {}))
        elif isinstance(payload, str):
            payload = payload.encode()
        payload = payload or b""
        try:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out test): nothing to answer

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format, *args):  # silence the default stderr log
        return


class LocalServer:
    """An HTTP server on 127.0.0.1:<free port> answering through ``handler``."""

    def __init__(self, handler):
        self.handler = handler
        self._httpd = None
        self._thread = None

    @property
    def url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self):
        return self._httpd.requests

    def start(self):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.handler = self.handler
        self._httpd.requests = []
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class JsonServer(LocalServer):
    """A REST/JSON service: the handler receives the decoded JSON body (or None)."""

    def __init__(self, handler):
        def decode(method, path, headers, body):
            data = json.loads(body) if body else None
            return handler(method, path, headers, data)

        super().__init__(decode)


class SoapServer(LocalServer):
    """A SOAP 1.1 service: ``GET ...?wsdl`` serves ``wsdl`` (``{address}`` in it is replaced by
    the server's URL); a POSTed envelope is decoded and answered through
    ``handler(operation, params)`` where ``params`` maps each child element of the operation
    to its text. The handler returns a dict (the children of ``<operation>Response``; a list
    value repeats the element, a dict value nests it), or a ``(status, headers, body)`` tuple
    to answer something else (a fault, a malformed body)."""

    namespace = "urn:guarantee:bank"

    def __init__(self, wsdl, handler):
        self.wsdl = wsdl
        self.soap_handler = handler
        super().__init__(self._dispatch)

    def _dispatch(self, method, path, headers, body):
        if method == "GET":
            return 200, {"Content-Type": "text/xml; charset=utf-8"}, self.wsdl.replace(
                "{address}", self.url
            )
        envelope = etree.fromstring(body)
        operation_el = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")[0]
        operation = etree.QName(operation_el).localname
        params = {etree.QName(child).localname: child.text for child in operation_el}
        answer = self.soap_handler(operation, params)
        if answer is None or isinstance(answer, tuple):
            return answer
        return 200, {"Content-Type": "text/xml; charset=utf-8"}, self._envelope(
            operation + "Response", answer
        )

    def _envelope(self, name, values):
        soap = "http://schemas.xmlsoap.org/soap/envelope/"
        root = etree.Element(f"{{{soap}}}Envelope", nsmap={"soap": soap, "b": self.namespace})
        body = etree.SubElement(root, f"{{{soap}}}Body")
        self._fill(etree.SubElement(body, f"{{{self.namespace}}}{name}"), values)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")

    def _fill(self, element, values):
        for key, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                child = etree.SubElement(element, f"{{{self.namespace}}}{key}")
                if isinstance(item, dict):
                    self._fill(child, item)
                else:
                    child.text = str(item)
