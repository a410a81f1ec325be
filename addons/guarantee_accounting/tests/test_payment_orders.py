import time

import odoo
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer, SoapServer

from .test_bank_connectors import WSDL, BankTestCase, FakeBank

FAULTS = ("timeout", "drop", "garbage", "409")


class MisbehavingBank(FakeBank):
    """Books the first transfer of a request id, then answers it badly: too late
    (``timeout``), not at all (``drop``), unreadably (``garbage``) or with a 409 "duplicate"
    (and keeps answering 409 to the same request id). ``status_404`` answers the first
    status query 404 although the payment is booked."""

    def __init__(self, fault=None, status_404=0):
        super().__init__()
        self.fault = fault
        self.status_404 = status_404

    def _badly(self, first, good, rest):
        if not (first or self.fault == "409") or not self.fault:
            return good
        if self.fault == "timeout":
            time.sleep(1.0)  # past the connector's 0.5 s time-out: the client has given up
            return good
        if self.fault == "drop":
            return None
        if self.fault == "garbage":
            return (200, {"Content-Type": "application/json"}, "{not json") if rest else (
                200, {"Content-Type": "text/xml"}, "<html>维护中</html>")
        return 409, {"Content-Type": "application/json"}, {"error": "duplicate request"}

    def rest(self, method, path, headers, data):
        if method == "POST" and path == "/transfers":
            first = data["request_id"] not in self.payments
            good = super().rest(method, path, headers, data)
            return self._badly(first, good, rest=True)
        if path.startswith("/transfers/") and self.status_404:
            self.status_404 -= 1
            return 404, {}, {"error": "not found"}
        return super().rest(method, path, headers, data)

    def soap(self, operation, params):
        if operation == "Transfer":
            first = params["requestId"] not in self.payments
            good = super().soap(operation, params)
            return self._badly(first, good, rest=False)
        if operation == "TransferStatus" and self.status_404:
            self.status_404 -= 1
            return 404, {"Content-Type": "text/plain"}, "Not Found"
        return super().soap(operation, params)


class WorkerKilled(Exception):
    """Raised where a worker would die: after the bank call, before the commit."""


@tagged("at_install")
class TestPaymentOrdersNeverPayTwice(BankTestCase):
    """Whatever the bank answers, every next step a finance user is offered leaves exactly
    one payment at the bank and one paid compensation."""

    def _server(self, protocol, bank):
        return JsonServer(bank.rest) if protocol == "rest" else SoapServer(WSDL, bank.soap)

    def _unknown_order(self, protocol, server, fault=None):
        """Sent once; the time-out fault needs a client that gives up (0.5 s) before the
        bank answers (1 s)."""
        timeout = {"timeout": 0.5} if fault == "timeout" else {}
        order = self._order(self._connector(server, protocol, max_retries=0, **timeout))
        order.with_user(self.finance).action_send()
        return order.with_user(self.finance)

    def _assert_nothing_replaces_it(self, order):
        compensation = order.compensation_id
        replaced = (
            "already has the payment order %s; it is resolved with the bank, never replaced"
            % order.name
        )
        for attempt, error, pattern in (
            (compensation.action_create_payment_order, UserError, replaced),
            (compensation.action_cancel, UserError,
             "A compensation whose payment order went to the bank cannot be cancelled"),
            # nobody deletes a payment order: no access right allows it
            (order.unlink, AccessError, "You are not allowed to delete 'Payment Order'"),
            (order.action_mark_done, UserError,
             "goes through a bank connector: only the bank's answer marks it done"),
            (lambda: order.write({"amount": 1.0}), UserError,
             "is (Sent|Outcome Unknown): “Amount” can no longer be changed"),
            (lambda: order.write({"state": "failed"}), UserError,
             "“State” of Payment Order change only through its actions"),
            (lambda: order.write({"request_id": "another-id"}), UserError,
             "“Request ID” of Payment Order change only through its actions"),
            (lambda: self.env["guarantee.payment.order"].with_user(self.finance).create({
                "project_id": order.project_id.id, "compensation_id": compensation.id,
                "partner_id": order.partner_id.id, "amount": order.amount,
            }), UserError, replaced),
        ):
            with self.assertRaisesExactly(error, pattern):
                attempt()
        self.assertEqual(len(compensation.payment_order_ids), 1)
        self.assertEqual(compensation.state, "approved")

    def _assert_paid_once(self, bank, order, label):
        self.assertEqual(bank.payments, {order.request_id: order.amount}, label)
        compensation = order.compensation_id
        self.assertEqual(order.state, "done", label)
        self.assertEqual(compensation.state, "paid", label)
        self.assertEqual(order.project_id.state, "compensated", label)
        receivable = self.env["account.move.line"].search([
            ("account_id", "=", self.company.guarantee_compensation_account_id.id),
            ("move_id.guarantee_project_id", "=", order.project_id.id),
            ("parent_state", "=", "posted"),
        ])
        self.assertEqual(sum(receivable.mapped("debit")), compensation.total, label)
        for attempt, pattern in (
            (order.action_send, "is Done: the bank is not asked again"),
            (order.action_poll_status, "is Done: the bank is not asked again"),
            (compensation.action_create_payment_order,
             "The compensation must be approved before paying the bank"),
        ):
            with self.assertRaisesExactly(UserError, pattern):
                attempt()
        self.env["guarantee.payment.order"]._cron_poll_status()
        self.assertEqual(len(bank.payments), 1, label)

    def test_an_ambiguous_answer_leaves_the_order_unknown_and_it_pays_once(self):
        for protocol in ("rest", "soap"):
            for fault in FAULTS:
                label = f"{protocol}/{fault}"
                bank = MisbehavingBank(fault)
                with self._server(protocol, bank) as server:
                    order = self._unknown_order(protocol, server, fault)
                    self.assertEqual(order.state, "unknown", label)
                    self.assertEqual(list(bank.payments), [order.request_id], label)
                    self.assertTrue(order.error_message, label)
                    self._assert_nothing_replaces_it(order)
                    order.action_send()  # "Send Again (same request id)"
                    self.assertEqual(order.state, "unknown" if fault == "409" else "accepted",
                                     label)
                    order.action_poll_status()  # "Check Status"
                    self._assert_paid_once(bank, order, label)
                    transfers = {r["body"] for r in server.requests if r["method"] == "POST"}
                    self.assertTrue(all(order.request_id.encode() in body for body in transfers))

    def test_a_404_to_the_status_query_keeps_the_order_unknown(self):
        for protocol in ("rest", "soap"):
            bank = MisbehavingBank("timeout", status_404=1)
            with self._server(protocol, bank) as server:
                order = self._unknown_order(protocol, server, "timeout")
                order.action_poll_status()
                self.assertEqual(order.state, "unknown", protocol)
                self.assertIn("404", order.error_message)
                self._assert_nothing_replaces_it(order)
                order.action_poll_status()
                self._assert_paid_once(bank, order, protocol)

    def test_a_worker_killed_after_the_bank_call_leaves_a_trace_and_is_resumed(self):
        for protocol in ("rest", "soap"):
            bank = MisbehavingBank()
            with self._server(protocol, bank) as server:
                order = self._order(self._connector(server, protocol)).with_user(self.finance)
                order._with_locked_order(lambda o: o._mark_sending("transfer"))

                def call_then_die(locked):
                    locked._call_bank("transfer")
                    raise WorkerKilled

                with self.assertRaises(WorkerKilled):
                    order._with_locked_order(call_then_die)
                order.invalidate_recordset()
                self.assertEqual(order.state, "sent", "the committed trace survives")
                self.assertEqual(order.attempt_count, 1)
                started = order.connector_id.call_log_ids.filtered(
                    lambda log: log.outcome == "started")
                self.assertEqual(started.request_id, order.request_id)
                self.assertEqual(len(bank.payments), 1, "the bank booked it before the death")
                self._assert_nothing_replaces_it(order)
                order.action_poll_status()
                self._assert_paid_once(bank, order, protocol)

    def test_a_second_send_with_a_stale_screen_does_not_call_the_bank_again(self):
        bank = MisbehavingBank()
        with JsonServer(bank.rest) as server:
            order = self._order(self._connector(server, "rest")).with_user(self.finance)
            order.action_send()
            self.assertEqual(order.state, "accepted")
            order.action_poll_status()
            posts = [r for r in server.requests if r["method"] == "POST"]
            # A second click whose screen still showed "Draft" got past the checks of its
            # screen; under the row lock, the order is read again and the send refused.
            with self.assertRaisesExactly(
                UserError,
                r"^FK\d{4}-\d+ is Done: the bank is not asked again\.$",
            ):
                order._with_locked_order(lambda locked: locked._mark_sending("transfer"))
            with self.assertRaisesExactly(
                UserError,
                r"^FK\d{4}-\d+ is Done: the bank is not asked again\.$",
            ):
                order._with_locked_order(lambda locked: locked._call_bank("transfer"))
            self.assertEqual([r for r in server.requests if r["method"] == "POST"], posts)
            self.assertEqual(order.attempt_count, 1)
            self._assert_paid_once(bank, order, "stale")

    def test_a_final_refusal_fails_the_order_and_a_new_one_may_pay(self):
        refuse = {"now": True}
        bank = FakeBank()

        def handler(method, path, headers, data):
            if refuse["now"] and method == "POST":
                return 422, {}, {"error": "payee account closed"}
            return bank.rest(method, path, headers, data)

        with JsonServer(handler) as server:
            order = self._order(self._connector(server, "rest")).with_user(self.finance)
            order.action_send()
            self.assertEqual(order.state, "failed")
            self.assertFalse(bank.payments)
            with self.assertRaisesExactly(UserError, "is Failed: the bank is not asked again"):
                order.action_send()
            refuse["now"] = False
            action = order.compensation_id.with_user(self.finance).action_create_payment_order()
            second = self.env["guarantee.payment.order"].browse(action["res_id"])
            self.assertNotEqual(second.request_id, order.request_id)
            second.connector_id = order.connector_id
            second.with_user(self.finance).action_send()
            second.with_user(self.finance).action_poll_status()
            self._assert_paid_once(bank, second, "after a final refusal")


    def test_orders_pay_only_approved_business_for_its_amount_and_payee(self):
        Order = self.env["guarantee.payment.order"].with_user(self.finance)
        project = self._project_in("active")
        draft = self.env["guarantee.compensation"].create({
            "project_id": project.id, "principal": 1000.0, "demand_date": "2026-06-30",
        })
        receipt = self.env["guarantee.margin"].create(
            {"project_id": project.id, "kind": "receipt", "amount": 80_000.0})
        receipt.action_done()
        refund = self.env["guarantee.margin"].create(
            {"project_id": project.id, "kind": "refund", "amount": 30_000.0})
        base = {"project_id": project.id, "partner_id": project.partner_id.id,
                "amount": 30_000.0}
        for business, pattern in (
            ({}, "A payment order pays one approved compensation or one confirmed margin refund"),
            ({"compensation_id": draft.id}, "is not approved: no payment order can pay it"),
            ({"margin_id": receipt.id}, "is not a confirmed margin refund"),
            ({"margin_id": refund.id}, "is not a confirmed margin refund"),
        ):
            with self.assertRaisesExactly(UserError, pattern):
                Order.create(dict(base, **business))
        account = self.env["res.partner.bank"].create(
            {"partner_id": project.partner_id.id, "acc_number": "6217000010002000"})
        refund.payee_bank_id = account
        refund.action_done()
        bank = FakeBank()
        with JsonServer(bank.rest) as server:
            connector = self._connector(server, "rest")
            with self.assertRaisesExactly(
                UserError,
                r"^FK\d{4}-\d+ cannot be saved: the amount is not the \$\s?30,000\.00 of "
                r"BZJ\d{4}-\d+\.$",
            ):
                Order.create(dict(base, margin_id=refund.id, amount=31_000.0,
                                  connector_id=connector.id))
            order = Order.create(dict(base, margin_id=refund.id, connector_id=connector.id))
            self.assertEqual(order.partner_bank_id, account, "the account of the refund")
            with self.assertRaisesExactly(
                UserError,
                r"^FK\d{4}-\d+ cannot be saved: the amount is not the \$\s?30,000\.00 of "
                r"BZJ\d{4}-\d+\.$",
            ):
                order.amount = 31_000.0
            self.assertFalse(bank.payments)
            order.action_send()
            order.action_poll_status()
            self.assertEqual(order.state, "done")
            self.assertEqual(bank.payments, {order.request_id: 30_000.0})
            with self.assertRaisesExactly(
                UserError, "it is resolved with the bank, never replaced"
            ):
                Order.create(dict(base, margin_id=refund.id))


@tagged("post_install", "-at_install")
class TestPaymentOrderRowLock(BankTestCase):
    """A second worker that holds an order's row (mid-call) makes the next caller give up
    at once, before it sends anything."""

    def test_a_locked_order_is_not_sent_by_a_second_worker(self):
        order = self.env["guarantee.payment.order"].search([], limit=1, order="id")
        if not order:
            self.skipTest("needs a committed payment order (demo data)")
        other_worker = odoo.sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other_worker.execute(
                "SELECT id FROM guarantee_payment_order WHERE id = %s FOR UPDATE", (order.id,)
            )
            called = []
            with self.assertRaisesExactly(
                UserError,
                r"^FK\d{4}-\d+ is being sent to or checked with the bank right now; try again in "
                r"a moment\.$",
            ):
                order._with_locked_order(called.append)
            self.assertFalse(called)
        finally:
            other_worker.rollback()
            other_worker.close()
        called = []
        order._with_locked_order(called.append)
        self.assertEqual(len(called), 1)
