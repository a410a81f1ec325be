from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.guarantee_platform.tests.fake_servers import LocalServer
from odoo.addons.guarantee_platform.tools.connectors import ConnectorConfig, get_adapter_class

from ..connectors.icbc import IcbcGatewayAdapter, fen
from .fake_icbc import FakeIcbcGateway
from .test_bank_connectors import BankTestCase


@tagged("at_install")
class TestIcbcGateway(BankTestCase):
    """The ICBC-style gateway bank: GBK XML packages with transaction codes and sequence
    numbers, and the payment-order rules on top of it."""

    def _icbc(self, server, **values):
        return self._connector(server, "icbc_xml", **dict({
            "username": "OPERATOR01.y.3301", "gateway_cis": "330290001234567",
            "timeout": 5.0,
        }, **values))

    def test_the_protocol_is_chosen_on_the_connector(self):
        self.assertIs(get_adapter_class("bank", "icbc_xml"), IcbcGatewayAdapter)

    def test_amounts_are_sent_in_fen_rounded_half_up(self):
        self.assertEqual(fen(512000.0), 51200000)
        self.assertEqual(fen(0.125), 13)
        self.assertEqual(fen(19.99), 1999)

    def test_balance_is_asked_with_qaccbal_in_gbk_and_read_in_fen(self):
        gateway = FakeIcbcGateway(balance_fen=880000050)
        with gateway.server() as server:
            connector = self._icbc(server)
            connector.action_fetch_balance()
            raw = server.requests[0]
        self.assertEqual(connector.last_balance, 8800000.50)
        self.assertIn(b"charset=GBK", raw["headers"]["Content-Type"].encode())
        self.assertIn("/servlet/ICBCCMPAPIReqServlet?userID=OPERATOR01.y.3301&PackageID=",
                      raw["path"])
        code, package = gateway.packages[0]
        self.assertEqual(code, "QACCBAL")
        self.assertEqual(package.findtext("eb/pub/CIS"), "330290001234567")
        self.assertEqual(package.findtext("eb/pub/ID"), "OPERATOR01.y.3301")
        self.assertEqual(len(package.findtext("eb/pub/TranDate")), 8)
        self.assertEqual(len(package.findtext("eb/pub/TranTime")), 9)
        self.assertEqual(package.findtext("eb/in/rd/AccNo"), "33001616100059000888")

    def test_history_is_read_page_by_page_with_debits_and_credits(self):
        gateway = FakeIcbcGateway()
        gateway.history_pages = [
            [{"Drcrf": "2", "CreditAmount": "1250000", "Date": "20260702", "Time": "101500",
              "OnlySequence": "HQ0001", "RecipName": "杭州某某机械有限公司",
              "RecipAccNo": "1202020209000011111", "PostScript": "货款", "UseCN": "往来款"}],
            [{"Drcrf": "1", "DebitAmount": "88800", "Date": "20260703", "Time": "090000",
              "OnlySequence": "HQ0002", "RecipName": "某某律师事务所", "Summary": "律师费"}],
        ]
        with gateway.server() as server:
            connector = self._icbc(server)
            connector.action_download_transactions()
        lines = self.env["account.bank.statement.line"].search(
            [("guarantee_connector_id", "=", connector.id)], order="guarantee_transaction_id")
        self.assertEqual(lines.mapped("guarantee_transaction_id"), ["HQ0001", "HQ0002"])
        self.assertEqual(lines.mapped("amount"), [12500.0, -888.0])
        self.assertEqual(lines[0].partner_name, "杭州某某机械有限公司")
        self.assertEqual(lines[0].payment_ref, "货款 往来款")
        self.assertEqual([c for c, _p in gateway.packages], ["QHISD", "QHISD"])
        self.assertEqual(gateway.packages[1][1].findtext("eb/in/NextTag"), "1")

    def test_payment_timing_out_after_booking_is_asked_not_resent_and_paid_once(self):
        gateway = FakeIcbcGateway(hang_first=1.5)
        with gateway.server() as server:
            order = self._order(self._icbc(server, timeout=0.5))
            order.with_user(self.finance).action_send()
            self.assertEqual(order.state, "unknown", "no answer: the outcome is unknown")
            self.assertEqual(list(gateway.payments), [order.request_id])
            order.with_user(self.finance).action_poll_status()
        self.assertEqual(order.state, "done")
        self.assertEqual([c for c, _p in gateway.packages], ["PAYENT", "QPAYENT"])
        payent = gateway.packages[0][1]
        self.assertEqual(payent.findtext("eb/pub/fSeqno"), order.request_id)
        self.assertEqual(payent.findtext("eb/in/rd/PayAmt"), str(fen(order.amount)))
        self.assertEqual(payent.findtext("eb/in/rd/RecAccNo"), "6222000011112222")
        self.assertEqual(gateway.packages[1][1].findtext("eb/in/QryfSeqno"), order.request_id)
        self.assertEqual(order.compensation_id.state, "paid")

    def test_a_package_refused_by_the_gateway_is_resolved_by_the_status_query(self):
        gateway = FakeIcbcGateway()
        gateway.payent_ret = ("B0901", "主机通讯异常")
        with gateway.server() as server:
            order = self._order(self._icbc(server))
            order.action_send()
            self.assertEqual(order.state, "unknown")
            self.assertIn("B0901", order.error_message)
            Order = self.env["guarantee.payment.order"]
            Order._cron_poll_status()  # QPAYENT: not found, so PAYENT again (same fSeqno)
            self.assertEqual(order.state, "accepted")
            Order._cron_poll_status()  # QPAYENT: Result 7
            self.assertEqual(order.state, "done")
        self.assertEqual(gateway.payments, {order.request_id: fen(order.amount)})
        seqnos = [p.findtext("eb/pub/fSeqno") for c, p in gateway.packages if c == "PAYENT"]
        self.assertEqual(seqnos, [order.request_id] * 2, "every attempt is the same package")

    def test_a_resent_package_is_refused_as_duplicate_and_pays_nothing_more(self):
        gateway = FakeIcbcGateway()
        with gateway.server() as server:
            order = self._order(self._icbc(server))
            order.action_send()
            self.assertEqual(order.state, "accepted")
            # the order is forced back to unknown, as after a crash before the answer
            # (a crash is no transition of the graph: the history path jumps it)
            order._unlocked(history=True).state = "unknown"
            order.action_send()
            self.assertEqual(order.state, "unknown", "a refused duplicate settles nothing")
            order.action_poll_status()
        self.assertEqual(order.state, "done")
        self.assertEqual(len(gateway.payments), 1)

    def test_a_payment_the_bank_rejects_fails_the_order(self):
        gateway = FakeIcbcGateway()
        with gateway.server() as server:
            order = self._order(self._icbc(server))
            order.action_send()
            gateway.results[order.request_id] = "6"
            order.action_poll_status()
        self.assertEqual(order.state, "failed")
        self.assertEqual(order.compensation_id.state, "approved")

    def test_an_answer_that_is_not_the_gateway_xml_leaves_the_outcome_unknown(self):
        maintenance = (200, {"Content-Type": "text/html"}, "<html>系统维护</html>".encode("GBK"))
        with LocalServer(lambda *args: maintenance) as server:
            order = self._order(self._icbc(server))
            order.action_send()
        self.assertEqual(order.state, "unknown")
        self.assertIn("Not an XML answer to PAYENT", order.error_message)

    def test_a_credit_naming_the_project_becomes_its_margin_receipt(self):
        project = self._project_in("approved")
        self.assertEqual(project.margin_required, 100000.0, "10% of 1,000,000")
        gateway = FakeIcbcGateway()
        gateway.history_pages = [[{
            "Drcrf": "2", "CreditAmount": "10000000", "Date": "20260106", "Time": "1000",
            "OnlySequence": "HQ-M1", "RecipName": self.customer.name,
            "PostScript": "%s 保证金" % project.name,
        }]]
        with gateway.server() as server:
            connector = self._icbc(server)
            connector.with_user(self.finance).action_download_transactions()
        margin = project.margin_ids
        self.assertEqual((margin.kind, margin.state, margin.amount, margin.reference),
                         ("receipt", "done", 100000.0, "HQ-M1"))
        self.assertEqual(project.margin_balance, 100000.0)
        line = self.env["account.bank.statement.line"].search(
            [("guarantee_transaction_id", "=", "HQ-M1")])
        self.assertTrue(line.is_reconciled)

    def test_finance_asks_the_bank_the_others_may_not(self):
        with FakeIcbcGateway().server() as server:
            connector = self._icbc(server)
            connector.with_user(self.finance).action_fetch_balance()
            self.assertEqual(connector.last_balance, 8800000.50)
            with self.assertRaisesRegex(AccessError, "Only finance asks the bank"):
                connector.with_user(self.risk).action_download_transactions()
            with self.assertRaisesRegex(AccessError, "not allowed to modify"):
                connector.with_user(self.finance).write({"last_sync_date": "2026-01-01"})

    def test_the_scheduled_job_downloads_each_connector_once_per_run(self):
        gateway = FakeIcbcGateway()
        gateway.history_pages = [[{"Drcrf": "2", "CreditAmount": "100", "Date": "20260702",
                                   "Time": "1", "OnlySequence": "HQ-J1"}]]
        with gateway.server() as server:
            connector = self._icbc(server)
            Connector = self.env["guarantee.bank.connector"]
            Connector._cron_download_statements()
            Connector._cron_download_statements()
            jobs = self.env["queue.job"].search([
                ("method_name", "=", "_download_statements_job"),
                ("model_name", "=", "guarantee.bank.connector")]).filtered(
                lambda job: job.records == connector)
            self.assertEqual(len(jobs), 1, "one waiting job per connector")
            self.assertEqual(jobs.channel, "root.guarantee_connector")
            result = connector._download_statements_job()
        self.assertIn("1", result)
        self.assertTrue(self.env["account.bank.statement.line"].search(
            [("guarantee_transaction_id", "=", "HQ-J1")]))

    def test_gbk_request_decodes_as_xml_with_its_declaration(self):
        adapter = IcbcGatewayAdapter(ConnectorConfig(url="http://127.0.0.1:9", username="OP",
                                                     options={"cis": "C1"}))
        xml = adapter._message("QACCBAL", [("rd", [("AccNo", "1"), ("Name", "担保")])], "S1")
        self.assertTrue(xml.startswith(b"<?xml version='1.0' encoding='GBK'?>"))
        self.assertIn("担保".encode("GBK"), xml)
        self.assertEqual(etree.fromstring(xml).findtext("eb/in/rd/Name"), "担保")
