import re

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin
from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer, KeepLocalTimeouts

from .common import GuaranteeAccountingCase
from .test_bank_connectors import FakeBank

ORDER = "guarantee.payment.order"


class MoneyRpcCase(KeepLocalTimeouts, JsonRpcMixin, GuaranteeAccountingCase, HttpCase):
    """The roles over JSON-RPC, as the web client calls, on a company whose guarantee
    accounting is set up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_account = cls.env["res.partner.bank"].create(
            {"partner_id": cls.customer.id, "acc_number": "6217000010002000"})

    def assertRpcRefused(self, error_class, pattern, model, method, *args, **kwargs):
        """The call is refused with exactly ``error_class`` and a message matching
        ``pattern``."""
        _text, result, error = self.rpc(model, method, *args, **kwargs)
        self.assertFalse(result)
        self.assertTrue(error, "%s.%s was not refused" % (model, method))
        self.assertEqual(error["data"]["name"], "odoo.exceptions." + error_class.__name__,
                         error["data"]["message"])
        self.assertRegex(error["data"]["message"], re.compile(pattern))

    def _connector(self, server):
        return self.env["guarantee.bank.connector"].create({
            "name": "测试银行直连", "protocol": "rest", "url": server.url,
            "account_number": "33001616100059000888",
            "journal_id": self.company.guarantee_bank_journal_id.id,
            "secret": "api-key-not-logged", "timeout": 2.0, "max_retries": 0, "backoff": 0.01,
        })

    def _refund(self, project, amount=200_000.0, receipt=300_000.0):
        """A confirmed refund of ``amount`` after a receipt of ``receipt``, paid to the
        customer's account."""
        Margin = self.env["guarantee.margin"]
        Margin.create({"project_id": project.id, "kind": "receipt", "amount": receipt}) \
            .action_done()
        refund = Margin.create({"project_id": project.id, "kind": "refund", "amount": amount,
                                "payee_bank_id": self.customer_account.id})
        refund.action_done()
        return refund


@tagged("post_install", "-at_install")
class TestMoneyHoles(MoneyRpcCase):
    """Issue 22, "Found": each money hole, as finance did it over JSON-RPC."""

    def test_a_draft_order_cannot_be_pointed_at_another_margin_or_paid_another_amount(self):
        project = self._project_in("active")
        refund = self._refund(project)
        receipt = self.env["guarantee.margin"].search(
            [("project_id", "=", project.id), ("kind", "=", "receipt")])
        other = self._refund(self._project_in("active"), amount=50_000.0)
        self.rpc_login("t_finance")
        order_id = self.rpc_ok(ORDER, "create", {
            "project_id": project.id, "margin_id": refund.id,
            "partner_id": project.partner_id.id, "amount": 200_000.0,
        })
        for vals in ({"margin_id": receipt.id}, {"margin_id": other.id}):
            self.assertRpcRefused(UserError, "chosen when the order is created",
                                  ORDER, "write", [order_id], vals)
        self.assertRpcRefused(UserError, "amount is not the", ORDER, "write", [order_id],
                              {"amount": 1.0})
        order = self.env[ORDER].browse(order_id)
        self.assertEqual((order.margin_id, order.amount), (refund, 200_000.0))
        self.assertEqual(order.partner_bank_id, self.customer_account)

    def test_a_payment_order_cannot_pay_an_account_of_another_partner(self):
        project = self._project_in("active")
        refund = self._refund(project)
        stranger = self.env["res.partner"].create({"name": "无关第三人"})
        foreign = self.env["res.partner.bank"].create(
            {"partner_id": stranger.id, "acc_number": "6222999900001111"})
        self.rpc_login("t_finance")
        self.assertRpcRefused(UserError, "belongs to someone else", ORDER, "create", {
            "project_id": project.id, "margin_id": refund.id,
            "partner_id": project.partner_id.id, "amount": 200_000.0,
            "partner_bank_id": foreign.id,
        })
        order_id = self.rpc_ok(ORDER, "create", {
            "project_id": project.id, "margin_id": refund.id,
            "partner_id": project.partner_id.id, "amount": 200_000.0,
        })
        self.assertRpcRefused(UserError, "belongs to someone else", ORDER, "write",
                              [order_id], {"partner_bank_id": foreign.id})
        # an account of the customer that is not the one recorded on the refund: refused too
        second = self.env["res.partner.bank"].create(
            {"partner_id": self.customer.id, "acc_number": "6217000010009999"})
        self.assertRpcRefused(UserError, "not the one recorded", ORDER, "write",
                              [order_id], {"partner_bank_id": second.id})
        self.assertEqual(self.env[ORDER].browse(order_id).partner_bank_id,
                         self.customer_account)

    def test_a_paid_margin_refund_cannot_be_cancelled_and_paid_twice(self):
        project = self._project_in("active")
        refund = self._refund(project)  # 300,000 received, 200,000 refunded: 100,000 left
        bank = FakeBank()
        with JsonServer(bank.rest) as server:
            connector = self._connector(server)
            self.rpc_login("t_finance")
            order_id = self.rpc_ok(ORDER, "create", {
                "project_id": project.id, "margin_id": refund.id,
                "partner_id": project.partner_id.id, "amount": 200_000.0,
                "connector_id": connector.id,
            })
            self.rpc_ok(ORDER, "action_send", [order_id])
            self.rpc_ok(ORDER, "action_poll_status", [order_id])
            self.assertEqual(self.env[ORDER].browse(order_id).state, "done")
            self.assertRpcRefused(UserError, "went to the bank", "guarantee.margin",
                                  "action_cancel", [refund.id], reason="客户要求撤销")
        refund.invalidate_recordset()
        self.assertEqual(refund.state, "done")
        self.assertEqual(project.margin_balance, 100_000.0)
        self.assertFalse(refund.move_id.reversal_move_ids)
        self.assertEqual(bank.payments, {self.env[ORDER].browse(order_id).request_id: 200_000.0})

    def test_a_compensation_beyond_what_is_guaranteed_is_not_approved(self):
        # ¥500,000 guaranteed, ¥500,000 released: a ¥25m compensation is not owed
        project = self._project_in("active", released=500_000.0, amount=500_000.0)
        huge = self.env["guarantee.compensation"].create({
            "project_id": project.id, "principal": 25_000_000.0, "demand_date": "2026-06-30",
        })
        self.rpc_login("t_finance")
        self.rpc_ok("guarantee.compensation", "action_approve", [huge.id])  # asks the tier
        huge.with_user(self.executive).validate_tier()
        self.assertRpcRefused(ValidationError, "more than its guaranteed amount of",
                              "guarantee.compensation", "action_approve", [huge.id])
        self.assertEqual(huge.state, "draft")
        # two compensations that each fit, together exceed the ¥500,000 owed
        first = self._approved_compensation(project, principal=300_000.0, interest=0.0)
        second = self.env["guarantee.compensation"].create({
            "project_id": project.id, "principal": 250_000.0, "demand_date": "2026-07-30",
        })
        self.rpc_ok("guarantee.compensation", "action_approve", [second.id])
        second.with_user(self.executive).validate_tier()
        self.assertRpcRefused(ValidationError, "more than the .* of the loan outstanding",
                              "guarantee.compensation", "action_approve", [second.id])
        self.assertEqual((first.state, second.state), ("approved", "draft"))

    def test_a_second_compensation_paid_after_the_first_is_booked(self):
        # two compensations within the ¥800,000 outstanding: the second is sent after the
        # first was paid (the project is compensated already); its booking does not fail
        project = self._project_in("active")
        first = self._approved_compensation(project, principal=300_000.0, interest=0.0)
        second = self._approved_compensation(project, principal=200_000.0, interest=0.0)
        bank = FakeBank()
        with JsonServer(bank.rest) as server:
            self._connector(server)
            self.rpc_login("t_finance")
            orders = []
            for compensation in (first, second):
                orders.append(self.rpc_ok("guarantee.compensation",
                                          "action_create_payment_order",
                                          [compensation.id])["res_id"])
            for order_id in orders:
                self.rpc_ok(ORDER, "action_send", [order_id])
                self.rpc_ok(ORDER, "action_poll_status", [order_id])
        self.env.invalidate_all()
        self.assertEqual((first.state, second.state), ("paid", "paid"))
        self.assertEqual(project.state, "compensated")
        self.assertEqual(sorted(bank.payments.values()), [200_000.0, 300_000.0])
        self.assertFalse(self.env[ORDER].browse(orders).activity_ids)

    def test_what_booking_needs_is_checked_before_the_transfer_leaves(self):
        project = self._project_in("active")
        compensation = self._approved_compensation(project)
        bank = FakeBank()
        with JsonServer(bank.rest) as server:
            connector = self._connector(server)
            order = self.env[ORDER].browse(
                compensation.action_create_payment_order()["res_id"])
            order.connector_id = connector
            self.company.guarantee_compensation_account_id = False
            self.rpc_login("t_finance")
            self.assertRpcRefused(UserError, "accounting settings are incomplete", ORDER,
                                  "action_send", [order.id])
            self.assertFalse(bank.payments)
            self.assertEqual(order.state, "draft")

    def test_the_banks_done_is_recorded_even_when_its_booking_fails(self):
        project = self._project_in("active")
        compensation = self._approved_compensation(project)
        bank = FakeBank()
        with JsonServer(bank.rest) as server:
            self._connector(server)
            self.rpc_login("t_finance")
            order = self.env[ORDER].browse(self.rpc_ok(
                "guarantee.compensation", "action_create_payment_order", [compensation.id]
            )["res_id"])
            self.assertTrue(order.connector_id)
            self.rpc_ok(ORDER, "action_send", [order.id])
            order.invalidate_recordset()
            self.assertEqual(order.state, "accepted")
            # between the send and the bank's "done", the books lose an account
            receivable = self.company.guarantee_compensation_account_id
            self.company.guarantee_compensation_account_id = False
            self.rpc_ok(ORDER, "action_poll_status", [order.id])
            order.invalidate_recordset()
            compensation.invalidate_recordset()
            self.assertEqual(order.state, "done", "the bank's answer is kept")
            self.assertEqual(compensation.state, "approved", "not booked")
            self.assertFalse(compensation.move_id)
            activity = order.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.finance)
            self.assertIn("booking failed", str(activity.note))
            requests = len(server.requests)
            self.env[ORDER]._cron_poll_status()
            self.assertEqual(len(server.requests), requests, "the job does not loop on it")
            self.company.guarantee_compensation_account_id = receivable
        self.assertEqual(len(bank.payments), 1)

    def test_finance_cannot_reset_a_posted_guarantee_entry_to_draft_or_edit_it(self):
        self.assertTrue(all(self.company._guarantee_journals().mapped(
            "restrict_mode_hash_table")))
        refund = self._refund(self._project_in("active"))
        move = refund.move_id
        self.assertTrue(move.inalterable_hash, "Odoo hashed it when it was posted")
        lines = sorted((line.debit, line.credit) for line in move.line_ids)
        self.assertEqual(lines, [(0.0, 200_000.0), (200_000.0, 0.0)])
        self.rpc_login("t_finance")
        self.assertRpcRefused(UserError, "You cannot reset to draft a locked journal entry",
                              "account.move", "button_draft", [move.id])
        debit = move.line_ids.filtered("debit")
        self.assertRpcRefused(UserError, "already hashed", "account.move.line", "write",
                              debit.ids, {"debit": 1.0})
        move.invalidate_recordset()
        self.assertEqual(move.state, "posted")
        self.assertEqual(sorted((line.debit, line.credit) for line in move.line_ids), lines)
        # a reversal stays the correction
        refund.with_user(self.finance).action_cancel(reason="退款金额错误")
        self.assertEqual(move.reversal_move_ids.state, "posted")
