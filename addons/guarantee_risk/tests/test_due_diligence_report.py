import base64
import io
import re

from PyPDF2 import PdfReader

from odoo.exceptions import UserError
from odoo.tests import tagged

from .due_diligence_common import YEAR_2024, YEAR_2025, DueDiligenceCase


def pdf_pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@tagged("post_install", "-at_install")
class TestDueDiligenceReport(DueDiligenceCase):
    """The A-role's and B-role's report: from the data and their sections, through the one PDF
    pipeline, signed off by both, locked with its statements, on the checklist, read by the
    committee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        third = cls._statement(cls.customer_dd, 2023, dict(YEAR_2024))
        cls.first, cls.second = cls._two_years(cls.customer_dd)
        third.action_confirm()
        cls.statements = third | cls.first | cls.second
        product = cls.products["loan"]
        product.document_type_ids = [(4, cls.env.ref(
            "guarantee_base.guarantee_document_type_due_diligence_report").id)]
        cls.project = cls._project(cls.customer_dd, 2_000_000)
        cls.project._do_transition("accept")
        cls.project._do_transition("start_investigation")
        cls.measurement = cls.env["guarantee.credit.measurement"].create({
            "partner_id": cls.customer_dd.id, "company_id": cls.company.id,
            "project_id": cls.project.id, "statement_id": cls.second.id, "growth_rate": 10.0,
            "growth_reason": "订单增长",
        })
        cls.measurement.action_confirm()

    def _report(self, **values):
        return self.env["guarantee.due.diligence.report"].with_user(self.pm_a).create(dict({
            "project_id": self.project.id,
            "statement_ids": [(6, 0, self.statements.ids)],
            "measurement_id": self.measurement.id,
            "shareholder_ids": [(0, 0, {"name": "王大海", "share": 70, "is_controller": True}),
                                (0, 0, {"name": "李小河", "share": 30})],
            "operations_text": "主营精密零部件，前五大客户占比百分之四十。",
            "risk_text": "原材料价格波动。",
            "manager_opinion": "同意提交评审，建议担保金额二百万元。",
            "assistant_opinion": "同意A角意见。",
        }, **values))

    def test_both_roles_sign_off_and_the_report_locks_with_its_statements(self):
        report = self._report()
        report.with_user(self.pm_a).action_sign()
        self.assertEqual(report.state, "signing")
        self.assertEqual(report.manager_signed_by_id, self.pm_a)
        # what the first signed no longer changes
        with self.assertRaisesExactly(
            UserError,
            r"^JD\d{4}-\d{5} is Being Signed and can no longer be changed\.$",
        ):
            report.with_user(self.pm_b).write({"risk_text": "改"})
        with self.assertRaisesExactly(
            UserError,
            r"^A report being signed or signed off no longer changes\.$",
        ):
            self.env["guarantee.due.diligence.shareholder"].with_user(self.pm_b).create(
                {"report_id": report.id, "name": "新股东", "share": 1})
        report.with_user(self.pm_b).action_sign()
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.assistant_signed_by_id, self.pm_b)
        self.assertTrue(report.manager_signed_date and report.assistant_signed_date)
        # the PDF is on the project's checklist item 尽职调查报告
        document = report.document_id
        self.assertEqual(document.project_id, self.project)
        self.assertIn(report.attachment_id, document.attachment_ids)
        self.assertEqual(document.state, "uploaded")
        self.assertEqual(self.project.due_diligence_report_id, report)
        # the statements it used are locked for good
        self.assertEqual(set(self.statements.mapped("state")), {"locked"})
        line = self.second.line_ids[:1]
        with self.assertRaisesExactly(
            UserError,
            r"^guarantee\.financial\.statement\.line,\d+ is Locked and can no longer be changed\.$",
        ):
            line.with_user(self.pm_a).write({"amount": 1.0})
        with self.assertRaisesExactly(
            UserError,
            r"^Only confirmed statements can be reset to draft; 测试精密制造有限公司 2025-12-31 "
            r"are used by a signed-off due-diligence report or are drafts already\.$",
        ):
            self.second.with_user(self.pm_a).action_reset_draft()
        with self.assertRaisesExactly(
            UserError,
            r"^测试精密制造有限公司 2025-12-31 is Locked and cannot be deleted\.$",
        ):
            self.second.unlink()
        with self.assertRaisesExactly(
            UserError,
            r"^JD\d{4}-\d{5} is Signed Off and can no longer be changed\.$",
        ):
            report.with_user(self.pm_a).write({"manager_opinion": "改"})
        with self.assertRaisesExactly(
            UserError,
            r"^“State” of Due-Diligence Report change only through its actions, which check their "
            r"conditions and record who and why\.$",
        ):
            report.with_user(self.pm_a).write({"state": "draft"})

    def test_the_pdf_has_the_sections_tables_and_page_numbers(self):
        report = self._report()
        report.with_user(self.pm_a).action_sign()
        report.with_user(self.pm_b).action_sign()
        content = base64.b64decode(report.attachment_id.datas)
        self.assertTrue(content.startswith(b"%PDF"))
        pages = pdf_pages(content)
        text = "\n".join(pages)
        self.assertGreaterEqual(len(pages), 2)
        for number, page in enumerate(pages, start=1):
            self.assertIn("第 %d 页 共 %d 页" % (number, len(pages)), page)
        # data of the customer and the project, the key figures in 万元 and the narrative
        for expected in (self.customer_dd.name, self.project.name, "资产总计", "6,000.00",
                         "5,000.00", "王大海", "70.00", "主营精密零部件", "同意A角意见",
                         self.pm_a.login, self.pm_b.login, report.name):
            self.assertIn(expected, text)
        # the measurement: 营运资金量 1894.06 万元, measured 194.06 万元
        self.assertIn("1,894.06", text)
        self.assertIn("194.06", text)
        # the ratio table: 资产负债率 2025 55.00 %
        self.assertIn("55.00%", text)

    def test_who_may_sign_and_what_is_missing_before_signing(self):
        report = self._report(assistant_opinion=False)
        with self.assertRaisesExactly(
            UserError,
            r"^The report cannot be signed:\nThe B-role's opinion is missing\.$",
        ):
            report.with_user(self.pm_a).action_sign()
        report.write({"assistant_opinion": "同意。"})
        self.assertTrue(report.with_user(self.pm_a).can_sign)
        with self.assertRaisesExactly(
            UserError,
            r"^The report cannot be signed:\nOnly the A-role and the B-role of the project sign "
            r"its report\.$",
        ):
            report.with_user(self.risk).action_sign()
        report.with_user(self.pm_a).action_sign()
        with self.assertRaisesExactly(
            UserError,
            r"^The report cannot be signed:\nYou have signed this report already\.$",
        ):
            report.with_user(self.pm_a).action_sign()

    def test_a_draft_statement_cannot_be_signed_off(self):
        draft = self._statement(self.customer_dd, 2022, YEAR_2025)
        report = self._report(statement_ids=[(6, 0, (self.statements | draft).ids)])
        with self.assertRaisesExactly(
            UserError,
            r"^The report cannot be signed:\nThese statements are not confirmed: "
            r"测试精密制造有限公司 2022-12-31\.$",
        ):
            report.with_user(self.pm_a).action_sign()

    def test_a_signature_withdrawn_brings_the_report_back_to_draft(self):
        report = self._report()
        report.with_user(self.pm_a).action_sign()
        report.with_user(self.pm_b).action_withdraw_signature()
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.manager_signed_by_id)
        report.with_user(self.pm_b).write({"assistant_opinion": "补充：关注原材料价格。"})
        self.assertEqual(set(self.statements.mapped("state")), {"confirmed"})

    def test_the_committee_reads_the_report_with_the_vote(self):
        report = self._report()
        report.with_user(self.pm_a).action_sign()
        report.with_user(self.pm_b).action_sign()
        self.project._do_transition("submit_review")
        review = self.env["guarantee.review"].create({"project_id": self.project.id})
        self.assertEqual(review.due_diligence_report_id, report)
        action = review.with_user(self.committee).action_open_due_diligence_report()
        self.assertEqual(action["url"], "/web/content/%s?download=true" % report.attachment_id.id)
        as_member = report.with_user(self.committee)
        self.assertEqual(as_member.read(["state"])[0]["state"], "signed")
        self.assertTrue(report.attachment_id.with_user(self.committee).datas)
        pages = pdf_pages(base64.b64decode(as_member.attachment_id.datas))
        self.assertTrue(re.search(r"第 1 页 共 \d+ 页", pages[0]))

    def test_a_persons_id_number_is_masked_in_the_pdf(self):
        """A committee member has no right to personal data: the report's PDF of a person
        borrower that the member prints shows the ID number masked (issue 23),
        110105********002X, never whole; so does the A-role's (masks apply to every user)."""
        self.assertFalse(self.committee.has_group(
            "guarantee_base.group_guarantee_personal_data"))
        person = self.env["res.partner"].create({
            "name": "张三", "is_company": False, "is_guarantee_customer": True,
            "uscc": "11010519491231002X", "mobile": "13812345678", "user_id": self.pm_a.id})
        project = self._project(person, 500_000)
        project._do_transition("accept")
        project._do_transition("start_investigation")
        _first, second = self._two_years(person)
        report = self.env["guarantee.due.diligence.report"].with_user(self.pm_a).create({
            "project_id": project.id, "statement_ids": [(6, 0, second.ids)],
            "operations_text": "个体经营，主营果蔬批发。",
            "manager_opinion": "同意提交评审。", "assistant_opinion": "同意A角意见。"})
        action = report.with_user(self.pm_a).action_preview_pdf()
        preview = self.env["ir.attachment"].browse(int(action["url"].split("/")[3]
                                                       .split("?")[0]))
        report.with_user(self.pm_a).action_sign()
        report.with_user(self.pm_b).action_sign()
        project._do_transition("submit_review")
        review = self.env["guarantee.review"].create({"project_id": project.id})
        action = review.with_user(self.committee).action_open_due_diligence_report()
        signed = report.with_user(self.committee).attachment_id
        self.assertEqual(action["url"], "/web/content/%s?download=true" % signed.id)
        for content in (preview.raw, base64.b64decode(signed.datas)):
            text = "\n".join(pdf_pages(content))
            self.assertIn("张三", text)
            self.assertIn("110105********002X", text)
            self.assertNotIn("11010519491231002X", text)
            self.assertNotIn("13812345678", text)
        # a company's USCC is not personal data: printed whole
        company_text = "\n".join(pdf_pages(self._report()._render_pdf(draft=True)))
        self.assertIn(self.customer_dd.uscc, company_text)

    def test_the_draft_preview_is_marked_as_a_draft(self):
        report = self._report()
        action = report.with_user(self.pm_a).action_preview_pdf()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3]
                                                          .split("?")[0]))
        text = "\n".join(pdf_pages(attachment.raw))
        self.assertIn(report.name, text)
        self.assertEqual(report.state, "draft")

    def test_a_report_and_its_statements_are_born_draft_and_signed_off_for_good(self):
        """Issue 22, the declared state machines: neither a report nor a statement is created
        signed, confirmed or locked; a report signed off by both roles, and the statements it
        locked, are never moved again; a copy starts draft, without signatures or PDF."""
        with self.assertRaisesExactly(
            UserError,
            r"^A Due-Diligence Report is created Draft; it becomes Signed Off only through its "
            r"actions\.$",
        ):
            self.env["guarantee.due.diligence.report"].sudo().create(
                {"project_id": self.project.id, "state": "signed"})
        with self.assertRaisesExactly(
            UserError,
            r"^A Financial Statement is created Draft; it becomes Locked only through its "
            r"actions\.$",
        ):
            self.env["guarantee.financial.statement"].sudo().create({
                "partner_id": self.customer_dd.id, "company_id": self.company.id,
                "date_end": "2021-12-31", "state": "locked",
            })
        report = self._report()
        report.with_user(self.pm_a).action_sign()
        report.with_user(self.pm_b).action_sign()
        self.assertEqual(report.state, "signed")
        self.assertEqual(set(self.statements.mapped("state")), {"locked"})
        for state, label in (("draft", "Draft"), ("signing", "Being Signed")):
            with self.assertRaisesExactly(
                UserError, r"^%s is Signed Off and cannot become %s\.$" % (report.name, label)
            ):
                report._unlocked().write({"state": state})
        for state, label in (("draft", "Draft"), ("confirmed", "Confirmed")):
            with self.assertRaisesExactly(
                UserError,
                r"^测试精密制造有限公司 2025-12-31 is Locked and cannot become %s\.$" % label,
            ):
                self.second._unlocked().write({"state": state})
        self.assertEqual((report.state, self.second.state), ("signed", "locked"))
        with self.assertRaisesExactly(
            UserError,
            r"^“Signed PDF” of Due-Diligence Report change only through its actions, which check "
            r"their conditions and record who and why\.$",
        ):
            report.copy({"attachment_id": report.attachment_id.id})
        copy = report.copy()
        self.assertEqual(
            (copy.state, copy.manager_signed_by_id, copy.assistant_signed_date,
             copy.attachment_id, copy.document_id, len(copy.shareholder_ids)),
            ("draft", self.env["res.users"], False, self.env["ir.attachment"],
             self.env["guarantee.document"], 2),
        )
        with self.assertRaisesExactly(
            UserError, r"^%s is Draft and cannot become Signed Off\.$" % copy.name
        ):
            copy._unlocked().write({"state": "signed"})
        statement = self.second.copy({"date_end": "2026-12-31"})
        self.assertEqual((statement.state, statement.import_source_id.id), ("draft", False))
        self.assertEqual(statement._values(), self.second._values())
        with self.assertRaisesExactly(
            UserError, r"^测试精密制造有限公司 2026-12-31 is Draft and cannot become Locked\.$"
        ):
            statement._unlocked().write({"state": "locked"})
