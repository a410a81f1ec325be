from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.guarantee_base.tests.rpc import ACCESS_ERROR, JsonRpcMixin

STATEMENT = "guarantee.financial.statement"
LINE = "guarantee.financial.statement.line"


@tagged("post_install", "-at_install")
class TestDueDiligenceOverRpc(JsonRpcMixin, HttpCase):
    """Who reads and edits statements, measurements and reports, over JSON-RPC as the demo
    users (password = login): project managers only those of their own customers, risk
    officers read all, committee members those of customers under review; a signed-off report
    and the statements it used are locked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.ref("base.demo_company_cn")
        cls.zhongchuang = env.ref("guarantee_base.partner_bj_zhongchuang")
        cls.lvyuan = env.ref("guarantee_base.partner_sz_lvyuan")
        cls.tianyuan = env.ref("guarantee_base.partner_hz_tianyuan")
        # the demo report of the project under review is signed off (demo data)
        cls.report = env["guarantee.due.diligence.report"].search(
            [("project_id", "=", env.ref("guarantee_base.project_reviewing_demo").id)], limit=1
        )
        cls.locked = cls.report.statement_ids.sorted("date_end")[-1:]
        cls.draft = env[STATEMENT].search(
            [("partner_id", "=", cls.lvyuan.id), ("state", "=", "draft")], limit=1
        )
        # a customer of another project manager, with a statement
        stranger = new_test_user(env, "t26_pm_stranger",
                                 groups="guarantee_base.group_guarantee_project_manager",
                                 company_id=company.id, company_ids=[(6, 0, [company.id])])
        cls.foreign_customer = env["res.partner"].with_company(company).create({
            "name": "外部客户测试有限公司", "is_company": True, "is_guarantee_customer": True,
            "user_id": stranger.id, "company_id": company.id,
        })
        cls.foreign = env[STATEMENT].with_company(company).create({
            "partner_id": cls.foreign_customer.id, "company_id": company.id,
            "date_end": "2025-12-31",
        })

    def _ids(self, model, domain):
        return set(self.rpc_ok(model, "search", domain))

    def test_the_demo_report_is_signed_off_with_its_statements(self):
        self.assertEqual(self.report.state, "signed")
        self.assertEqual(len(self.report.statement_ids), 3)
        self.assertEqual(set(self.report.statement_ids.mapped("state")), {"locked"})
        self.assertEqual(self.draft.check_failure_count, 1, "the demo statement that fails")
        attachment = self.report.attachment_id
        self.assertEqual((attachment.mimetype, attachment.res_model),
                         ("application/pdf", "guarantee.due.diligence.report"))
        self.assertGreater(attachment.file_size, 10000)
        self.assertIn(attachment, self.report.document_id.attachment_ids)
        # what the demo keeps as text was written in Chinese
        warning = self.env["guarantee.risk.signal"].search(
            [("partner_id", "=", self.env.ref("guarantee_base.partner_hf_xinke").id),
             ("signal_type", "=", "financial_ratio")]
        )
        self.assertEqual(len(warning), 1)
        self.assertIn("资产负债率 77.96", warning.description)

    def test_project_manager_edits_statements_of_own_customers_only(self):
        self.rpc_login("pm1")
        visible = self._ids(STATEMENT, [])
        self.assertIn(self.draft.id, visible)
        self.assertNotIn(self.foreign.id, visible)
        # own customer: a draft line is edited
        line = self.draft.line_ids.filtered(
            lambda line: line.item_id.code == "undistributed_profit"
        )
        corrected = line.amount + 356000.0
        self.rpc_ok(LINE, "write", [line.id], {"amount": corrected})
        self.assertEqual(self.rpc_ok(LINE, "read", [line.id], ["amount"])[0]["amount"], corrected)
        # someone else's customer: neither read, written, nor given a statement
        # the record rules refuse (a write is refused by the read rule that comes first)
        hidden = "没有「读取」权限：\n- 财务报表（guarantee.financial.statement）"
        self.rpc_denied(ACCESS_ERROR, STATEMENT, "read", [self.foreign.id], ["name"], match=hidden)
        self.rpc_denied(ACCESS_ERROR, STATEMENT, "write", [self.foreign.id], {"note": "x"},
                        match=hidden)
        foreign_line = self.foreign.line_ids[:1]
        self.rpc_denied(ACCESS_ERROR, LINE, "write", [foreign_line.id], {"amount": 1.0},
                        match="没有「写入」权限：\n- 财务报表行（%s）" % LINE)
        self.rpc_denied(ACCESS_ERROR, STATEMENT, "create", {
            "partner_id": self.foreign_customer.id, "date_end": "2024-12-31"},
            match="没有「创建」权限：\n- 财务报表（guarantee.financial.statement）")
        self.assertEqual(self.foreign.note, False)
        self.assertEqual(foreign_line.amount, 0.0)

    def test_a_signed_off_report_and_its_statements_are_locked(self):
        self.rpc_login("pm1")
        line = self.locked.line_ids.filtered(lambda line: line.item_id.code == "cash")
        before = line.amount
        for model, method, args in (
            (LINE, "write", ([line.id], {"amount": before + 1})),
            (LINE, "unlink", ([line.id],)),
            (STATEMENT, "write", ([self.locked.id], {"auditor": "改"})),
            (STATEMENT, "write", ([self.locked.id], {"state": "draft"})),
            (STATEMENT, "action_reset_draft", ([self.locked.id],)),
            (STATEMENT, "unlink", ([self.locked.id],)),
            ("guarantee.due.diligence.report", "write",
             ([self.report.id], {"manager_opinion": "改"})),
            ("guarantee.due.diligence.report", "action_withdraw_signature", ([self.report.id],)),
            ("guarantee.due.diligence.report", "unlink", ([self.report.id],)),
        ):
            _text, _result, error = self.rpc(model, method, *args)
            self.assertTrue(error, "%s.%s was allowed" % (model, method))
            self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError")
        self.assertEqual(line.amount, before)
        self.assertEqual(self.locked.state, "locked")
        self.assertEqual(self.report.state, "signed")

    def test_risk_officer_reads_all_and_writes_none(self):
        self.rpc_login("risk")
        self.assertTrue({self.draft.id, self.foreign.id, self.locked.id}
                        <= self._ids(STATEMENT, []))
        _text, _result, error = self.rpc(STATEMENT, "write", [self.draft.id], {"note": "x"})
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        self.assertTrue(self.rpc_ok("guarantee.due.diligence.report", "read", [self.report.id],
                                    ["state"]))

    def test_committee_reads_the_customers_under_review(self):
        self.rpc_login("committee1")
        visible = self._ids(STATEMENT, [])
        self.assertIn(self.locked.id, visible)
        self.assertNotIn(self.draft.id, visible)
        self.assertNotIn(self.foreign.id, visible)
        report = self.rpc_ok("guarantee.due.diligence.report", "read", [self.report.id],
                             ["state", "attachment_id"])[0]
        self.assertEqual(report["state"], "signed")
        attachment = self.rpc_ok("ir.attachment", "read", [report["attachment_id"][0]],
                                 ["mimetype"])[0]
        self.assertEqual(attachment["mimetype"], "application/pdf")
        _text, _result, error = self.rpc(STATEMENT, "write", [self.locked.id], {"note": "x"})
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
