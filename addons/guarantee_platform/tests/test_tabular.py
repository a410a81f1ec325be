import datetime
import io
from decimal import Decimal

import openpyxl

from odoo.tests import BaseCase, tagged

from ..tools import tabular


def _workbook(*sheets, merge=None):
    """An .xlsx as bytes with the sheets given as (title, rows); ``merge`` a range of the first."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if merge:
        book.worksheets[0].merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@tagged("at_install")
class TestTabularCells(BaseCase):
    """Cells as Chinese sheets write them, each value read by hand."""

    def test_amounts_with_their_unit(self):
        self.assertEqual(tabular.parse_amount("500万"), 5000000.0)
        self.assertEqual(tabular.parse_amount("1.2亿元"), 120000000.0)
        self.assertEqual(tabular.parse_amount("1,234.50元"), 1234.5)
        self.assertEqual(tabular.parse_amount("５００"), 500.0)
        self.assertEqual(tabular.parse_amount(12.5, Decimal(10000)), 125000.0, "column in 万元")
        self.assertIsNone(tabular.parse_amount(""))
        with self.assertRaisesRegex(tabular.CellError, "^not a number$"):
            tabular.parse_amount("五百")
        self.assertEqual(tabular.parse_number("1.5%"), 1.5)

    def test_headers_units_and_aliases(self):
        self.assertEqual(tabular.header_unit("担保金额（万元）"), Decimal(10000))
        self.assertEqual(tabular.header_unit("金额"), Decimal(1))
        self.assertEqual(tabular.header_key(" 担保金额（万元） "), "担保金额")
        found = tabular.recognise_headers(
            ["客户名称", "金额(元)", "其他", "企业名称"], {"name": ("客户名称", "企业名称"),
                                                 "amount": ("金额",)}
        )
        self.assertEqual(found, {"客户名称": "name", "金额(元)": "amount"}, "first one wins")

    def test_dates_booleans_and_choices(self):
        may_day = datetime.date(2023, 5, 1)
        for cell in ("2023年5月1日", "2023-05-01", "2023/5/1", "2023.5.1", "20230501", 45047):
            self.assertEqual(tabular.parse_date(cell), may_day, cell)
        # 45047 days after 1899-12-30 is 2023-05-01 (Excel's serial number)
        with self.assertRaisesRegex(tabular.CellError, "^not a date$"):
            tabular.parse_date("2023年13月1日")
        self.assertIs(tabular.parse_bool("是"), True)
        self.assertIs(tabular.parse_bool("×"), False)
        self.assertEqual(tabular.parse_choice("在保", {"在保": "active"}), "active")
        self.assertEqual(tabular.parse_choice("ACTIVE", {"在保": "active"}), "active")


@tagged("at_install")
class TestTabularFiles(BaseCase):
    def test_read_sheets_spreads_merged_cells(self):
        content = _workbook(
            ("资产负债表", [["项目", "金额", None], [None, "期末余额", "年初余额"],
                            ["货币资金", 6, 5]]),
            ("利润表", [["项目", "本期金额"]]),
            merge="B1:C1",
        )
        sheets = tabular.read_sheets(content)
        self.assertEqual([title for title, _rows in sheets], ["资产负债表", "利润表"])
        self.assertEqual(sheets[0][1][0], ["项目", "金额", "金额"])
        with self.assertRaisesRegex(tabular.CellError, "^not an Excel workbook$"):
            tabular.read_sheets(b"not a workbook")

    def test_read_table_reads_csv_and_xlsx_alike(self):
        expected = [{"amount": "100", "rating": "AA"}, {"amount": "2.5", "rating": "B"}]
        csv_utf8 = "amount,rating\n100,AA\n2.5,B\n".encode("utf-8-sig")
        self.assertEqual(tabular.read_table(csv_utf8, "data.csv"), expected)
        csv_gb = "金额,等级\n100,甲\n".encode("gb18030")
        self.assertEqual(tabular.read_table(csv_gb), [{"金额": "100", "等级": "甲"}])
        xlsx = _workbook(("data", [["amount", "rating"], [100.0, "AA"], [None, None], [2.5, "B"]]))
        self.assertEqual(tabular.read_table(xlsx, "data.xlsx"), expected)

    def test_read_table_says_why_a_file_cannot_be_read(self):
        with self.assertRaises(tabular.TableError) as caught:
            tabular.read_table(b"PK broken")
        self.assertEqual(caught.exception.code, "xlsx")
        with self.assertRaises(tabular.TableError) as caught:
            tabular.read_table(b"\xff\xfe\x00\x81\x30")
        self.assertEqual(caught.exception.code, "encoding")
