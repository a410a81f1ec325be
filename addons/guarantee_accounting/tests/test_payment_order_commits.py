""""Sending" is committed before the bank is called, proven with real commits.

The other payment-order tests run in the registry's test mode, where every cursor shares the
test's transaction, so they cannot tell one transaction from two. Here the registry is not
in test mode: the order is committed on a connection of its own, sent from another, and the
fake bank reads the order on a third connection while it is being called, as a bank
reconciliation or a second worker would. Everything the test commits is removed at the end.
"""

import json

from odoo.tests import TransactionCase, tagged

from odoo.addons.guarantee_base.tests.committed import CommittedRows
from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer, KeepLocalTimeouts


@tagged("post_install", "-at_install")
class TestPaymentOrderCommits(KeepLocalTimeouts, TransactionCase):
    def setUp(self):
        super().setUp()
        self.rows = CommittedRows(self.env.cr.dbname)
        self.rows.snapshot()
        self.addCleanup(self.rows.remove)
        self.seen_by_bank = []
        self.server = JsonServer(self._bank)
        self.server.start()
        self.addCleanup(self.server.stop)
        with self.rows.env() as env:
            self.order_id = self._draft_order(env).id

    def _draft_order(self, env):
        """A confirmed margin refund and its draft order through a REST bank connector."""
        company = env.ref("base.main_company")
        customer = env["res.partner"].create({"name": "事务测试客户有限公司", "is_company": True})
        account = env["res.partner.bank"].create(
            {"partner_id": customer.id, "acc_number": "6222000099998888"})
        product = env["guarantee.product"].create({
            "name": "事务测试担保", "code": "T-COMMIT", "business_type": "loan",
            "company_id": company.id,
        })
        project = env["guarantee.project"].create({
            "partner_id": customer.id, "creditor_id": customer.id, "product_id": product.id,
            "amount": 1_000_000, "term_months": 12, "date_start": "2026-01-01",
            "company_id": company.id,
        })
        refund = env["guarantee.margin"].create({
            "project_id": project.id, "kind": "refund", "amount": 30_000, "date": "2026-06-01",
        })
        # the refund is confirmed without its entry: the entry is not what this is about
        refund._unlocked().state = "done"
        connector = env["guarantee.bank.connector"].create({
            "name": "事务测试银行", "protocol": "rest", "url": self.server.url,
            "account_number": "33001616100059000999", "company_id": company.id,
            "journal_id": env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1).id,
            "secret": "commit-test-key", "timeout": 30, "max_retries": 0,
        })
        return env["guarantee.payment.order"].create({
            "project_id": project.id, "margin_id": refund.id, "partner_id": customer.id,
            "partner_bank_id": account.id, "amount": 30_000, "connector_id": connector.id,
        })

    def _bank(self, method, path, headers, data):
        """Accepts the transfer after looking at the order from a connection of its own (SQL
        only: an environment would wait for the registry lock the test runner holds)."""
        if method == "POST" and path == "/transfers":
            with self.rows.connection.cursor() as cr:
                cr.execute(
                    "SELECT o.state, o.attempt_count, count(log.id) "
                    "FROM guarantee_payment_order o "
                    "LEFT JOIN guarantee_connector_call_log log "
                    "ON log.request_id = o.request_id AND log.outcome = 'started' "
                    "WHERE o.id = %s GROUP BY o.id",
                    [self.order_id],
                )
                self.seen_by_bank.append(cr.fetchone())
            return 200, {}, {"status": "accepted", "bank_reference": "B-COMMIT-1"}
        return 404, {}, {"error": "unknown"}

    def test_sent_and_the_started_call_are_committed_before_the_bank_is_called(self):
        with self.rows.env() as env:
            order = env["guarantee.payment.order"].browse(self.order_id)
            self.assertEqual(order.state, "draft")
            order.action_send()
        self.assertEqual(self.seen_by_bank, [("sent", 1, 1)],
                         "while the bank was being called, another connection saw the order "
                         "sent, its attempt counted and the call logged as started")
        [request] = [r for r in self.server.requests if r["path"] == "/transfers"]
        self.assertEqual(json.loads(request["body"])["amount"], 30_000)
        with self.rows.env() as env:
            env.cr.execute("SELECT state, bank_reference FROM guarantee_payment_order "
                           "WHERE id = %s", [self.order_id])
            self.assertEqual(env.cr.fetchone(), ("accepted", "B-COMMIT-1"),
                             "the bank's answer is committed too")
