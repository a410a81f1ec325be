from odoo.tests import BaseCase, tagged

from ..tools.pdf_pipeline import PdfDocument, PdfFontError, break_lines


@tagged("post_install", "-at_install")
class TestPdfPipeline(BaseCase):
    """The one PDF pipeline: Chinese line breaking and a document with its font embedded."""

    def test_a_closing_comma_goes_down_with_the_character_before_it(self):
        # width 3 (one unit a character): "甲乙丙" would leave "，" to start the next line, so
        # the line ends before "丙" instead
        self.assertEqual(break_lines("甲乙丙，丁戊", len, 3), ["甲乙", "丙，丁", "戊"])
        self.assertEqual(break_lines("第一行\n\n第三", len, 10), ["第一行", "", "第三"])

    def test_break_lines_never_starts_a_line_with_closing_punctuation(self):
        text = "甲方乙方丙方，丁方。" * 3 + "金额¥10,000,000.00元）；是否？是！"
        for width in range(2, 12):
            lines = break_lines(text, len, width)
            self.assertEqual("".join(lines), text)
            for line in lines:
                self.assertNotIn(line[:1], set("，。；：？！、）"), (width, lines))
            # a number is never split across lines
            self.assertTrue(any("10,000,000.00" in line for line in lines), (width, lines))

    def test_a_document_is_a_pdf_with_its_chinese_font_embedded(self):
        doc = PdfDocument("测试文件", header="测试公司", footer="编号 T-1")
        doc.text("正文：甲方与乙方约定如下。")
        doc.table([["项目", "金额"], ["保费", "1,000.00"]], align_right_from=1)
        try:
            pdf = doc.build()
        except PdfFontError:
            self.skipTest("no Chinese font on this machine")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertIn(b"/FontFile2", pdf, "the subset font is embedded, not referenced")
