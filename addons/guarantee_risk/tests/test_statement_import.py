import base64
import datetime
import io

import openpyxl
from PIL import Image, ImageDraw, ImageFont

from odoo.exceptions import UserError
from odoo.tests import tagged

from .due_diligence_common import DueDiligenceCase

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def audit_firm_workbook(year, figures):
    """A layout the project has not seen: a merged title, 单位：万元, the header merged over two
    rows (报表项目 | 金额 over 本年实际 / 上年实际), the balance sheet and income statement in
    one column of names, one line under a name of the firm's own (存货净额)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报表"
    sheet["A1"] = "%s年度财务报表（简表）" % year
    sheet.merge_cells("A1:C1")
    sheet["A2"] = "编制单位：测试精密制造有限公司"
    sheet["C2"] = "单位：万元"
    sheet["A3"] = "报表项目"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "金额"
    sheet.merge_cells("B3:C3")
    sheet["B4"] = "本年实际"
    sheet["C4"] = "上年实际"
    for row, (label, current, prior) in enumerate(figures, start=5):
        sheet.cell(row, 1, label)
        sheet.cell(row, 2, current)
        sheet.cell(row, 3, prior)
    output = io.BytesIO()
    book.save(output)
    return base64.b64encode(output.getvalue())


def statement_image(rows):
    """A scanned statement page: a title, the unit, a header and lines in columns."""
    font = ImageFont.truetype(FONT, 30, index=2)  # index 2: Noto Sans CJK SC
    image = Image.new("RGB", (1200, 120 + 60 * (len(rows) + 1)), "white")
    draw = ImageDraw.Draw(image)
    draw.text((420, 20), "资产负债表", font=font, fill="black")
    draw.text((850, 70), "单位：万元", font=font, fill="black")
    for number, cells in enumerate([("项目", "期末余额", "年初余额")] + rows):
        y = 130 + 60 * number
        for x, cell in zip((40, 560, 880), cells, strict=True):
            draw.text((x, y), cell, font=font, fill="black")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return base64.b64encode(output.getvalue())


@tagged("post_install", "-at_install")
class TestStatementImport(DueDiligenceCase):
    """The customer's statements read from its workbook or a scan."""

    def _wizard(self, statement, file, kind="workbook", **values):
        return self.env["guarantee.financial.import.wizard"].with_user(self.pm_a).create(dict({
            "partner_id": statement.partner_id.id,
            "statement_id": statement.id,
            "file": file,
            "filename": "statements.xlsx",
            "kind": kind,
        }, **values))

    def _statement_of(self, year):
        return self.env["guarantee.financial.statement"].with_user(self.pm_a).create({
            "partner_id": self.customer_dd.id, "company_id": self.company.id,
            "date_end": "%s-12-31" % year,
        })

    def _amounts(self, statement):
        return {line.item_id.code: (line.amount, line.amount_opening)
                for line in statement.line_ids if line.amount or line.amount_opening}

    def test_a_new_layout_is_mapped_once_then_read_again_automatically(self):
        figures_2025 = [("货币资金", 600, 500), ("存货净额", "1,400.00", 1200),
                        ("资产总计", 6000, 5000), ("一、营业收入", 9000, 8000),
                        ("减：营业成本", 7200, 6400), ("四、净利润", 360, 240)]
        statement = self._statement_of(2025)
        wizard = self._wizard(statement, audit_firm_workbook(2025, figures_2025),
                              new_source="审计所简表")
        wizard.action_read()
        # the amount columns are not recognised: the lower header row is proposed for mapping
        self.assertEqual(wizard.state, "map")
        self.assertEqual(wizard.column_ids.mapped("header"), ["报表项目", "本年实际", "上年实际"])
        self.assertEqual(wizard.column_ids[0].role, "label")
        wizard.column_ids[1].role = "closing"
        wizard.column_ids[2].role = "opening"
        wizard.action_apply_mapping()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.detected_unit, "Ten Thousand Yuan")
        self.assertEqual(wizard.label_ids.mapped("label"), ["存货净额"])
        wizard.label_ids.item_id = self.env.ref("guarantee_risk.financial_item_inventory")
        wizard.action_apply_mapping()
        self.assertFalse(wizard.label_ids)
        wizard.action_import()
        # 万元 → yuan, this year and last year's column
        self.assertEqual(self._amounts(statement), {
            "cash": (6_000_000.0, 5_000_000.0), "inventory": (14_000_000.0, 12_000_000.0),
            "total_assets": (60_000_000.0, 50_000_000.0),
            "revenue": (90_000_000.0, 80_000_000.0),
            "cost_of_sales": (72_000_000.0, 64_000_000.0),
            "net_profit": (3_600_000.0, 2_400_000.0),
        })
        source = wizard.source_id
        self.assertEqual(statement.import_source_id, source)
        self.assertEqual(source.name, "审计所简表")
        self.assertIn("statements.xlsx", statement.message_ids[:1].attachment_ids.name)

        # next year the same layout (another title, other figures) is read without a question
        figures_2026 = [("货币资金", 700, 600), ("存货净额", 1500, 1400)]
        next_year = self._statement_of(2026)
        again = self._wizard(next_year, audit_firm_workbook(2026, figures_2026))
        again.action_read()
        self.assertEqual(again.state, "preview")
        self.assertEqual(again.source_id, source)
        self.assertFalse(again.label_ids)
        again.action_import()
        self.assertEqual(self._amounts(next_year), {
            "cash": (7_000_000.0, 6_000_000.0), "inventory": (15_000_000.0, 14_000_000.0),
        })

    def test_three_years_side_by_side_fill_one_statement_each(self):
        book = openpyxl.Workbook()
        sheet = book.active
        for row in (["单位：元"], ["项目", "2023年", "2024年", "2025年"],
                    ["营业收入", 5_600_000, 6_100_000, 6_500_000],
                    ["利润总额", 276_000, 332_000, "(12,000.00)"]):
            sheet.append(row)
        output = io.BytesIO()
        book.save(output)
        existing = self._statement_of(2024)
        wizard = self._wizard(existing, base64.b64encode(output.getvalue()), statement_id=False)
        wizard.action_read()
        self.assertEqual(wizard.state, "preview")
        action = wizard.action_import()
        statements = self.env["guarantee.financial.statement"].browse(
            self.env["guarantee.financial.statement"].search(action["domain"]).ids
        )
        self.assertEqual(statements.mapped("date_end"), [
            datetime.date(2025, 12, 31), datetime.date(2024, 12, 31), datetime.date(2023, 12, 31)
        ])
        self.assertIn(existing, statements, "the year that had a statement is filled, not doubled")
        by_year = {s.date_end.year: self._amounts(s) for s in statements}
        self.assertEqual(by_year[2025]["total_profit"], (-12_000.0, 0.0))
        self.assertEqual(by_year[2023]["revenue"], (5_600_000.0, 0.0))

    def test_a_file_that_is_not_a_workbook_is_refused(self):
        statement = self._statement_of(2025)
        wizard = self._wizard(statement, base64.b64encode(b"not a workbook"))
        with self.assertRaisesExactly(
            UserError,
            r"^The file is not an Excel workbook \(\.xlsx\)\.$",
        ):
            wizard.action_read()

    def test_a_scanned_statement_is_read_with_the_ocr(self):
        statement = self._statement_of(2025)
        image = statement_image([
            ("货币资金", "600.00", "500.00"),
            ("应收账款", "1,000.00", "800.00"),
            ("存货", "1,400.00", "1,200.00"),
            ("资产总计", "6,000.00", "5,000.00"),
        ])
        wizard = self._wizard(statement, image, kind="scan", filename="scan.png")
        wizard.action_read()
        self.assertEqual(wizard.state, "preview", wizard.message)
        wizard.action_import()
        amounts = self._amounts(statement)
        self.assertEqual(amounts["cash"], (6_000_000.0, 5_000_000.0))
        self.assertEqual(amounts["accounts_receivable"], (10_000_000.0, 8_000_000.0))
        self.assertEqual(amounts["inventory"], (14_000_000.0, 12_000_000.0))
        self.assertEqual(amounts["total_assets"], (60_000_000.0, 50_000_000.0))
