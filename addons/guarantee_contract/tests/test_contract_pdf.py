import io
import warnings

from odoo.tests import tagged

from .common import ContractCase


def pdf_text(content):
    """The text of every page, one string per page.

    The contract is set in the Adobe CJK font STSong-Light (encoding UniGB-UCS2-H), whose codes
    are UCS-2; PyPDF2 does not map that encoding and hands each text operation back as Latin-1
    characters (plus a line break of its own), decoded back here.
    """
    from PyPDF2 import PdfReader

    pages = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for page in PdfReader(io.BytesIO(content)).pages:
            parts = []
            page.extract_text(visitor_text=lambda text, *_args, parts=parts: parts.append(text))
            decoded = []
            for part in parts:
                raw = part.encode("latin-1", errors="ignore")
                if len(raw) % 2 and raw.endswith(b"\n"):
                    raw = raw[:-1]
                if raw and not len(raw) % 2:
                    decoded.append(raw.decode("utf-16-be", errors="replace"))
            pages.append("".join(decoded))
    return pages


@tagged("at_install")
class TestContractPdf(ContractCase):
    def _contracts_for(self, amount):
        project = self._approved_project(amount=amount, fee_rate=1.5, margin_rate=10)
        self._add_mortgage(project, value=1000000)
        project.action_generate_contracts()
        return project.contract_ids

    def test_each_kind_prints_with_chinese_capitals_and_page_numbers(self):
        for amount, figures, capitals in (
            (10000000.00, "¥10,000,000.00", "壹仟万元整"),
            (1050000.50, "¥1,050,000.50", "壹佰零伍万元伍角"),
            (0.07, "¥0.07", "柒分"),
        ):
            contracts = self._contracts_for(amount)
            self.assertEqual(
                sorted(contracts.mapped("kind")), ["counter", "entrusted", "guarantee"]
            )
            for contract in contracts:
                with self.subTest(amount=figures, kind=contract.kind):
                    content = contract._build_pdf()
                    self.assertTrue(content.startswith(b"%PDF"))
                    pages = pdf_text(content)
                    text = "".join(pages)
                    self.assertIn(figures, text)
                    self.assertIn(capitals, text)
                    self.assertIn(contract.name, text)
                    self.assertIn("第 1 页 共 %d 页" % len(pages), pages[0])
                    # the html the PDF is built from says the same
                    self.assertIn(capitals, contract.body)
                    self.assertIn(figures, contract.body)

    def test_pdf_of_the_demo_contracts(self):
        project = self.env.ref("guarantee_base.project_contracted_demo", raise_if_not_found=False)
        if not project or not project.contract_ids:
            self.skipTest("demo data not loaded")
        self.assertEqual(
            set(project.contract_ids.mapped("kind")), {"entrusted", "guarantee", "counter"}
        )
        for contract in project.contract_ids:
            text = "".join(pdf_text(contract._build_pdf()))
            self.assertIn("叁佰万元整", text)
            self.assertIn("¥3,000,000.00", text)

    def test_report_action_renders_with_reportlab(self):
        contract = self._contracts_for(10000000.00)[:1]
        content, kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "guarantee_contract.report_guarantee_contract", contract.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertIn("壹仟万元整", "".join(pdf_text(content)))

    def test_long_contract_spans_pages_with_running_numbers(self):
        contract = self._contracts_for(10000000.00).filtered(lambda c: c.kind == "entrusted")
        contract.body = "".join(
            "<p>第%d条 本条款为测试分页的合同条款内容。</p>" % i for i in range(200)
        )
        pages = pdf_text(contract._build_pdf())
        self.assertGreater(len(pages), 2)
        self.assertIn("第 2 页 共 %d 页" % len(pages), pages[1])

    def test_print_downloads_an_attached_pdf(self):
        contract = self._contracts_for(10000000.00)[:1]
        action = contract.action_print_pdf()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "guarantee.contract"), ("res_id", "=", contract.id)]
        )
        self.assertEqual(attachment.mimetype, "application/pdf")
