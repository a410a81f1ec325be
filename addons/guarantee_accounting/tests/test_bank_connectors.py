import time
from pathlib import Path
from urllib.parse import urlparse

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import _super_send

from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer, SoapServer
from odoo.addons.guarantee_platform.tools.connectors import get_adapter_class, protocols

from ..connectors import BankAdapter
from .common import GuaranteeAccountingCase

WSDL = (Path(__file__).parent / "data" / "bank_service.wsdl").read_text()


class FakeBank:
    """A bank that pays each request id once, and can be told to hang on the first answer
    (after booking the payment) or to answer garbage. A request id it never received is
    unknown to its status query (HTTP 404 / a SOAP fault); sent again, a request id it knows
    is answered "accepted" and not paid again."""

    def __init__(self, hang_first=0.0, garbage=False):
        self.payments = {}
        self.hang_first = hang_first
        self.garbage = garbage
        self.transactions = []
        self.transfer_calls = 0

    def transfer(self, request_id, amount):
        self.transfer_calls += 1
        first = request_id not in self.payments
        self.payments.setdefault(request_id, amount)
        if first and self.hang_first:
            time.sleep(self.hang_first)
        return {"status": "accepted", "bank_reference": "B-" + request_id[:8]}

    def status(self, request_id):
        if request_id not in self.payments:
            return None
        return {"status": "done", "bank_reference": "B-" + request_id[:8]}

    # ------------------------------------------------------------------ protocols

    def rest(self, method, path, headers, data):
        if self.garbage:
            return 200, {"Content-Type": "application/json"}, "{not json"
        if path.endswith("/balance"):
            return 200, {}, {"balance": 8800000.5, "currency": "CNY"}
        if "/transactions" in path:
            return 200, {}, {"transactions": self.transactions}
        if method == "POST" and path == "/transfers":
            return 200, {}, self.transfer(data["request_id"], data["amount"])
        if path.startswith("/transfers/"):
            answer = self.status(path.rsplit("/", 1)[1])
            return (200, {}, answer) if answer else (404, {}, {"error": "unknown request"})
        return 404, {}, {"error": "unknown"}

    def soap(self, operation, params):
        if self.garbage:
            return 200, {"Content-Type": "text/xml"}, "<html>maintenance</html>"
        if operation == "GetBalance":
            return {"balance": "8800000.50", "currency": "CNY"}
        if operation == "GetTransactions":
            return {"transaction": [
                {"id": t["id"], "date": t["date"], "amount": t["amount"],
                 "reference": t["reference"]} for t in self.transactions
            ]}
        if operation == "Transfer":
            answer = self.transfer(params["requestId"], float(params["amount"]))
        else:
            answer = self.status(params["requestId"])
            if not answer:
                return soap_fault("Client.NotFound", "unknown request")
        return {"status": answer["status"], "bankReference": answer["bank_reference"]}


def soap_fault(code, message, status=500):
    body = (
        '<?xml version="1.0"?><soap:Envelope '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
        f"<faultcode>soap:{code}</faultcode><faultstring>{message}</faultstring>"
        "</soap:Fault></soap:Body></soap:Envelope>"
    )
    return status, {"Content-Type": "text/xml; charset=utf-8"}, body


class BankTestCase(GuaranteeAccountingCase):
    """Payment orders talk to the bank in transactions of their own (registry cursors):
    the registry's test mode makes those share the test's transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """The fake banks answer on 127.0.0.1: keep the connector's short timeout (the test
        framework raises any timeout to 10 s), so a time-out test takes a second."""
        if urlparse(r.url).hostname == "127.0.0.1":
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def _connector(self, server, protocol, **values):
        return self.env["guarantee.bank.connector"].create(dict({
            "name": "测试银行直连",
            "protocol": protocol,
            "url": server.url,
            "wsdl_url": server.url + "/bank?wsdl" if protocol == "soap" else False,
            "account_number": "33001616100059000888",
            "journal_id": self.company.guarantee_bank_journal_id.id,
            "secret": "api-key-not-logged",
            "timeout": 10.0,  # a time-out test sets its own
            "max_retries": 2,
            "backoff": 0.01,
        }, **values))

    def _order(self, connector):
        compensation = self._approved_compensation(self._project_in("active"))
        action = compensation.action_create_payment_order()
        order = self.env["guarantee.payment.order"].browse(action["res_id"])
        order.connector_id = connector
        return order

    def _servers(self, bank):
        return (("rest", JsonServer(bank.rest)), ("soap", SoapServer(WSDL, bank.soap)))


@tagged("at_install")
class TestBankConnectors(BankTestCase):
    def test_adapters_are_chosen_by_protocol(self):
        self.assertEqual(protocols("bank"), ["icbc_xml", "rest", "soap"])
        for protocol in protocols("bank"):
            self.assertTrue(issubclass(get_adapter_class("bank", protocol), BankAdapter))

    def test_balance_over_soap_with_wsdl_and_over_rest(self):
        for protocol, server in self._servers(FakeBank()):
            with server:
                connector = self._connector(server, protocol)
                connector.action_fetch_balance()
                self.assertEqual(connector.last_balance, 8800000.5, protocol)
                if protocol == "soap":
                    self.assertTrue(any(r["method"] == "GET" for r in server.requests),
                                    "zeep loaded the WSDL over HTTP")

    def test_timeout_after_acceptance_is_not_resent_but_asked_and_pays_once(self):
        for protocol in ("rest", "soap"):
            bank = FakeBank(hang_first=1.5)  # past the 0.5 s time-out of this test
            server = JsonServer(bank.rest) if protocol == "rest" else SoapServer(WSDL, bank.soap)
            with server:
                order = self._order(self._connector(server, protocol, timeout=0.5))
                order.with_user(self.finance).action_send()
                self.assertEqual(order.state, "unknown", protocol)
                self.assertEqual(bank.transfer_calls, 1, "a transfer whose outcome is unknown "
                                 "is not sent again by the adapter")
                logs = order.connector_id.call_log_ids.filtered(
                    lambda log: log.operation == "transfer")
                self.assertEqual(sorted(logs.mapped("outcome")), ["error", "started"])
                self.assertEqual(set(logs.mapped("request_id")), {order.request_id})
                order.with_user(self.finance).action_poll_status()
                self.assertEqual(order.state, "done", "the status query found the payment")
                self.assertEqual(list(bank.payments), [order.request_id])
                self.assertEqual(order.compensation_id.state, "paid")
                self.assertEqual(order.project_id.state, "compensated")
                self.assertTrue(order.compensation_id.move_id)

    def test_status_queries_are_retried_after_a_5xx(self):
        bank = FakeBank()
        failures = {"left": 1}

        def handler(method, path, headers, data):
            if method == "GET" and path.startswith("/transfers/") and failures["left"]:
                failures["left"] -= 1
                return 503, {}, {"error": "busy"}
            return bank.rest(method, path, headers, data)

        with JsonServer(handler) as server:
            order = self._order(self._connector(server, "rest"))
            order.action_send()
            order.action_poll_status()
            self.assertEqual(order.state, "done")
            logs = order.connector_id.call_log_ids.filtered(
                lambda log: log.operation == "transfer_status")
            self.assertEqual(sorted(logs.mapped("outcome")), ["ok", "retry", "started"])

    def test_malformed_response_leaves_the_outcome_unknown(self):
        for protocol, server in self._servers(FakeBank(garbage=True)):
            with server:
                order = self._order(self._connector(server, protocol))
                order.action_send()
                self.assertEqual(order.state, "unknown", protocol)
                self.assertTrue(order.error_message)
                logs = order.connector_id.call_log_ids.filtered(
                    lambda log: log.operation == "transfer")
                self.assertEqual(sorted(logs.mapped("outcome")), ["error", "started"])
                error = logs.filtered(lambda log: log.outcome == "error")
                self.assertTrue(error.message)
                self.assertNotIn("api-key-not-logged", error.message)
                self.assertEqual(order.compensation_id.state, "approved")
                self.assertFalse(order.compensation_id.move_id)

    def test_unreachable_bank_leaves_the_outcome_unknown_for_a_later_retry(self):
        bank = FakeBank()
        server = JsonServer(bank.rest).start()
        url = server.url
        server.stop()
        connector = self._connector(server, "rest", url=url, max_retries=1)
        order = self._order(connector)
        order.action_send()
        self.assertEqual(order.state, "unknown")
        self.assertEqual(
            sorted(connector.call_log_ids.mapped("outcome")), ["error", "retry", "started"],
            "the start, the first attempt and one retry",
        )

    def test_cron_resends_unanswered_orders_and_polls_accepted_ones(self):
        bank = FakeBank()
        down = {"now": True}

        def handler(method, path, headers, data):
            if down["now"]:
                return 503, {}, {"error": "maintenance"}
            return bank.rest(method, path, headers, data)

        with JsonServer(handler) as server:
            order = self._order(self._connector(server, "rest", max_retries=0))
            order.action_send()
            self.assertEqual(order.state, "unknown", "outcome unknown: kept for a retry")
            self.assertIn("503", order.error_message)
            down["now"] = False
            Order = self.env["guarantee.payment.order"]
            Order._cron_poll_status()
            self.assertEqual(order.state, "accepted", "unknown to the bank: sent again")
            Order._cron_poll_status()
            self.assertEqual(order.state, "done")
            self.assertEqual(len(bank.payments), 1)
            keys = {r["headers"].get("Idempotency-Key") for r in server.requests
                    if r["method"] == "POST"}
            self.assertEqual(keys, {order.request_id}, "every attempt carries the request id")

    def test_transactions_are_imported_once_and_matching_lines_reconciled(self):
        bank = FakeBank()
        for protocol, server in self._servers(bank):
            with server:
                connector = self._connector(server, protocol)
                order = self._order(connector)
                order.action_send()
                order.action_poll_status()
                bank.transactions = [
                    {"id": protocol + "-T1", "date": "2026-07-02", "amount": -512000.0,
                     "reference": "代偿 " + order.name},
                    {"id": protocol + "-T2", "date": "2026-07-02", "amount": 888.0,
                     "reference": "unknown"},
                ]
                connector.action_download_transactions()
                connector.action_download_transactions()
                lines = self.env["account.bank.statement.line"].search(
                    [("guarantee_connector_id", "=", connector.id)])
                self.assertEqual(len(lines), 2, "each bank transaction once")
                matched = lines.filtered(lambda line: line.guarantee_transaction_id.endswith("T1"))
                self.assertTrue(matched.is_reconciled)
                clearing = order.compensation_id.move_id.line_ids.filtered(
                    lambda line: line.account_id == self.company.guarantee_bank_clearing_account_id)
                self.assertTrue(clearing.reconciled)
                self.assertFalse((lines - matched).is_reconciled,
                                 "left for the reconciliation screen")

    def test_statement_lines_pay_the_fee_invoice_and_margin_receipt_they_name(self):
        bank = FakeBank()
        with JsonServer(bank.rest) as server:
            connector = self._connector(server, "rest")
            fee = self.env["guarantee.fee"].create({
                "project_id": self._project_in("approved").id, "date_from": "2026-01-01",
                "date_to": "2026-12-31", "date_due": "2026-01-01", "amount": 7500.0,
            })
            fee.action_create_invoice()
            margin = self.env["guarantee.margin"].create({
                "project_id": fee.project_id.id, "kind": "receipt", "amount": 100000.0,
                "reference": "HZ20260106001",
            })
            margin.action_done()
            bank.transactions = [
                {"id": "F1", "date": "2026-01-06", "amount": 7500.0,
                 "reference": fee.invoice_id.name},
                {"id": "M1", "date": "2026-01-06", "amount": 100000.0,
                 "reference": "HZ20260106001 保证金"},
            ]
            connector.action_download_transactions()
            self.assertEqual(fee.state, "paid")
            self.assertIn(fee.invoice_id.payment_state, ("paid", "in_payment"))
            clearing = margin.move_id.line_ids.filtered(
                lambda line: line.account_id == self.company.guarantee_bank_clearing_account_id)
            self.assertTrue(clearing.reconciled, "the margin receipt is matched by reference")

    def test_credentials_are_for_administrators_only(self):
        with JsonServer(FakeBank().rest) as server:
            connector = self._connector(server, "rest", notification_secret="s3cr3t")
        with self.assertRaisesExactly(
            AccessError, 'You do not have enough rights to access the fields "secret" on Bank'
        ):
            connector.with_user(self.finance).read(["secret"])
        with self.assertRaisesExactly(
            AccessError, 'You do not have enough rights to access the fields "notification_secret"'
        ):
            connector.with_user(self.finance).read(["notification_secret"])
        with self.assertRaisesRegex(AccessError, "secret"):
            connector.with_user(self.gadmin).read(["secret"])  # system administrators only
        admin = self.env.ref("base.user_admin")
        self.assertEqual(connector.with_user(admin).read(["secret"])[0]["secret"],
                         "api-key-not-logged")

    def test_order_without_connector_is_not_sent(self):
        order = self._order(self.env["guarantee.bank.connector"])
        with self.assertRaisesExactly(
            UserError, "has no bank connector: make the transfer and mark it done"
        ):
            order.action_send()
