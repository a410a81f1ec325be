import io
import warnings

from odoo.tests import tagged

from .common import ContractCase


def pdf_text(content):
    """The text of every page, one string per page (the font is embedded with its Unicode
    map, so the text reads back as printed)."""
    from PyPDF2 import PdfReader

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


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


@tagged("at_install")
class TestPdfPipeline(ContractCase):
    """The one PDF pipeline (contracts and reports): embedded font, Chinese line breaking,
    page numbers, signature block with seal positions."""

    _contracts_for = TestContractPdf._contracts_for

    def test_contract_lines_font_and_seals(self):
        contract = self._contracts_for(10000000.00).filtered(lambda c: c.kind == "guarantee")
        # paragraphs of every length, so that some line would end just before a comma
        contract.body = "".join(
            "<p>%s，本合同条款；测试：是否？是！（附件）、完。</p>" % ("条" * length)
            for length in range(1, 60)
        )
        content = contract._build_pdf()
        pages = pdf_text(content)
        lines = [line for page in pages for line in page.splitlines()]
        self.assertGreater(len(lines), 100)
        for line in lines:
            self.assertNotIn(line[:1], set("，。；：？！、）"), line)
        self.assertIn("签章处", pages[-1])
        self.assertIn(contract.company_id.name, pages[-1])
        from PyPDF2 import PdfReader

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content))
            descriptors = []
            for page in reader.pages:
                for font in page["/Resources"]["/Font"].values():
                    font = font.get_object()
                    self.assertNotIn("STSong", str(font["/BaseFont"]))
                    if "/FontDescriptor" in font:
                        descriptors.append(font["/FontDescriptor"].get_object())
        self.assertTrue(descriptors)
        self.assertTrue(all("/FontFile2" in descriptor for descriptor in descriptors))

    def test_signature_block_reports_each_seal_position(self):
        from ..tools.contract_pdf import contract_document

        doc = contract_document(
            "保证合同", ["合同编号：HT-1"], "<p>正文。</p>", footer="HT-1",
            parties=[("甲方", "测试银行"), ("乙方", "测试担保公司")],
            signature_labels={"seal": "盖章", "seal_here": "盖章处",
                              "signatory": "法定代表人或授权代表（签字）", "date": "日期"},
        )
        content = doc.build()
        self.assertEqual([seal["party"] for seal in doc.seal_positions],
                         ["测试银行", "测试担保公司"])
        self.assertEqual({seal["page"] for seal in doc.seal_positions}, {1})
        self.assertLess(doc.seal_positions[0]["x_mm"], doc.seal_positions[1]["x_mm"])
        self.assertIn("甲方（盖章）：测试银行", pdf_text(content)[0])

    def test_missing_font_is_a_clear_error(self):
        from unittest.mock import patch

        from odoo.addons.guarantee_platform.tools import pdf_pipeline

        with patch.dict("os.environ", {pdf_pipeline.FONT_ENV: "/nonexistent/font.ttf"}):
            with self.assertRaises(pdf_pipeline.PdfFontError) as caught:
                pdf_pipeline.find_cjk_font()
        self.assertIn("/nonexistent/font.ttf", str(caught.exception))

    def test_the_title_is_printed_once(self):
        from ..tools.contract_pdf import build_contract_pdf

        body = "<div><h1>反担保合同</h1><p>第一条 反担保方式</p></div>"
        content = build_contract_pdf("反担保合同", ["合同编号：FD-1"], body)
        page = pdf_text(content)[0]
        self.assertEqual(page.count("反担保合同"), 1)
        self.assertIn("第一条 反担保方式", page)

    def test_every_pdf_of_a_worker_prints_its_own_characters(self):
        """A worker prints a contract, then a report with characters the contract did not use:
        the report's font has a glyph for each of them (none printed as a blank box)."""
        from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfDocument

        first = PdfDocument("反担保合同")
        first.text("甲方：测试银行")
        self.assertEqual(_characters_without_glyph(first.build()), set())
        second = PdfDocument("月报 2026-11-01 ~ 2026-11-30")
        second.text("报告期：2026-11-01 至 2026-11-30，金额单位：元")
        second.table([["指标", "数值"], ["在保余额", "128,500,000.00"], ["不良率", "0.00%"]])
        self.assertEqual(_characters_without_glyph(second.build()), set())


def _characters_without_glyph(content):
    """The characters a PDF prints with a code its embedded font program has no glyph for
    (viewers draw .notdef, a blank box, although the text still extracts correctly)."""
    import re

    from fontTools.ttLib import TTFont
    from PyPDF2 import PdfReader

    missing = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for page in PdfReader(io.BytesIO(content)).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                if "/FontDescriptor" not in font:
                    continue
                program = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
                codes = program["cmap"].getcmap(1, 0).cmap
                # reportlab's first subset maps ASCII to itself whether used or not
                lowest = 0x80 if str(font["/Name"]).endswith("+0") else 0
                for code, char in re.findall(
                    r"<([0-9A-F]{2})> <([0-9A-F]{4})>", font["/ToUnicode"].get_data().decode()
                ):
                    if int(code, 16) >= lowest and int(code, 16) not in codes:
                        missing.add(chr(int(char, 16)))
    return missing
