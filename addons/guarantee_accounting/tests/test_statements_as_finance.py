from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.rpc import ACCESS_ERROR, JsonRpcMixin
from odoo.addons.guarantee_platform.tests.fake_servers import KeepLocalTimeouts

from .fake_icbc import FakeIcbcGateway


@tagged("post_install", "-at_install")
class TestStatementsAsFinance(KeepLocalTimeouts, JsonRpcMixin, HttpCase):
    """The demo finance user (finance/finance), over JSON-RPC as the web client calls:
    queries the balance, downloads the statement, and the margin receipt the customer paid
    is recorded and matched without anyone typing it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = FakeIcbcGateway(balance_fen=1234567891)
        cls.server = cls.gateway.server().start()
        cls.addClassCleanup(cls.server.stop)
        cls.company = cls.env["res.users"].search([("login", "=", "finance")]).company_id
        cls.company._guarantee_setup_accounting()
        cls.connector = cls.env["guarantee.bank.connector"].create({
            "name": "工商银行杭州分行直连", "company_id": cls.company.id, "protocol": "icbc_xml",
            "url": cls.server.url, "account_number": "1202021209900012345",
            "journal_id": cls.company.guarantee_bank_journal_id.id,
            "username": "FIN01.y.1202", "gateway_cis": "120290001234567", "timeout": 5.0,
        })
        customer = cls.env["res.partner"].create({
            "name": "杭州示范机电有限公司", "is_company": True, "is_guarantee_customer": True,
            "company_id": cls.company.id,
        })
        product = cls.env["guarantee.product"].create({
            "name": "流贷担保（RPC测试）", "code": "RPC-LOAN", "business_type": "loan",
            "default_fee_rate": 1.5, "default_margin_rate": 10, "company_id": cls.company.id,
        })
        creditor = cls.env["res.partner"].create({"name": "工商银行", "is_company": True})
        cls.project = cls.env["guarantee.project"].with_company(cls.company).create({
            "partner_id": customer.id, "product_id": product.id, "company_id": cls.company.id,
            "creditor_id": creditor.id,
            "amount": 3000000, "term_months": 12, "date_start": "2026-01-01",
            "investigation_summary": "<p>经营正常</p>",
        })
        for step in ("accept", "start_investigation", "submit_review", "approve"):
            cls.project._do_transition(step)
        cls.gateway.history_pages = [[{
            "Drcrf": "2", "CreditAmount": "30000000", "Date": "20260108", "Time": "143000",
            "OnlySequence": "HQ-RPC-1", "RecipName": customer.name,
            "RecipAccNo": "1202020209000055555",
            "PostScript": "%s 保证金" % cls.project.name,
        }]]

    def test_finance_queries_the_balance_and_the_statement_matches_the_margin_receipt(self):
        self.assertEqual(self.project.margin_required, 300000.0, "10% of 3,000,000")
        self.rpc_login("finance")
        self.rpc_ok("guarantee.bank.connector", "action_fetch_balance", [self.connector.id])
        balance = self.rpc_ok("guarantee.bank.connector", "read", [self.connector.id],
                              ["last_balance"])[0]["last_balance"]
        self.assertEqual(balance, 12345678.91)
        self.rpc_ok("guarantee.bank.connector", "action_download_transactions",
                    [self.connector.id])
        lines = self.rpc_ok("account.bank.statement.line", "search_read",
                            [("guarantee_transaction_id", "=", "HQ-RPC-1")],
                            ["amount", "is_reconciled", "payment_ref"])
        self.assertEqual(len(lines), 1)
        self.assertEqual((lines[0]["amount"], lines[0]["is_reconciled"]), (300000.0, True))
        margins = self.rpc_ok("guarantee.margin", "search_read",
                              [("project_id", "=", self.project.id)],
                              ["kind", "state", "amount", "reference"])
        self.assertEqual([(m["kind"], m["state"], m["amount"], m["reference"]) for m in margins],
                         [("receipt", "done", 300000.0, "HQ-RPC-1")])
        self.assertEqual([code for code, _package in self.gateway.packages],
                         ["QACCBAL", "QHISD"])

    def test_finance_runs_the_server_action_and_others_are_refused(self):
        action = self.env.ref(
            "guarantee_accounting.guarantee_bank_connector_action_download_statements")
        self.rpc_login("finance")
        self.rpc_ok("ir.actions.server", "run", [action.id],
                    context={"active_model": "guarantee.bank.connector",
                             "active_ids": [self.connector.id], "active_id": self.connector.id})
        self.env.invalidate_all()
        self.assertTrue(self.connector.last_sync_date, "downloaded by the server action")
        self.assertEqual(self.project.margin_balance, 300000.0)
        self.rpc_login("risk")
        self.rpc_denied(ACCESS_ERROR, "guarantee.bank.connector", "action_fetch_balance",
                        [self.connector.id])
