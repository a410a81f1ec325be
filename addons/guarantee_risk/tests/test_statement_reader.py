import datetime
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..tools import statement_reader as reader

NAMES = {
    "货币资金": "cash", "应收账款": "accounts_receivable", "存货": "inventory",
    "流动资产合计": "current_assets", "资产总计": "total_assets", "短期借款": "short_term_loans",
    "负债合计": "total_liabilities", "所有者权益合计": "equity", "营业收入": "revenue",
    "营业成本": "cost_of_sales", "净利润": "net_profit", "实收资本": "paid_in_capital",
}


@tagged("post_install", "-at_install")
class TestStatementReader(BaseCase):
    """Layouts of the statements customers bring, read as pure functions."""

    def test_line_names_lose_numbering_prefixes_and_brackets(self):
        self.assertEqual(reader.label_key("一、营业收入"), "营业收入")
        self.assertEqual(reader.label_key("  减：营业成本"), "营业成本")
        self.assertEqual(reader.label_key("其中：利息费用"), "利息费用")
        self.assertEqual(reader.label_key("实收资本（或股本）"), "实收资本")
        self.assertEqual(reader.label_key("(一)流动资产合计"), "流动资产合计")
        self.assertEqual(reader.label_key("所有者权益（或股东权益）合计"), "所有者权益合计")

    def test_columns_years_and_units_are_recognised(self):
        self.assertEqual(reader.column_role("期末余额"), "closing")
        self.assertEqual(reader.column_role("上年年末余额"), "opening")
        self.assertEqual(reader.column_role("本期金额（万元）"), "closing")
        self.assertEqual(reader.column_role("2024年"), datetime.date(2024, 12, 31))
        self.assertEqual(reader.column_role("2025-06-30"), datetime.date(2025, 6, 30))
        self.assertIsNone(reader.column_role("本年实际"))
        self.assertEqual(reader.column_role("本年实际", {"本年实际": "closing"}), "closing")
        self.assertEqual(reader.text_unit("单位：万元"), Decimal(10000))
        self.assertEqual(reader.text_unit("金额单位：人民币元"), Decimal(1))
        self.assertIsNone(reader.text_unit("编制单位：杭州天元精密机械有限公司"))

    def test_side_by_side_balance_sheet_with_title_rows_in_wan(self):
        rows = [
            ["资产负债表", None, None, None, None, None],
            ["编制单位：杭州天元精密机械有限公司", None, None, "单位：万元", None, None],
            ["资产", "期末余额", "年初余额", "负债和所有者权益", "期末余额", "年初余额"],
            ["货币资金", 540, 510.5, "短期借款", 1000, "950"],
            ["存货", "1,390.00", 1320, "负债合计", 3500, 3300],
            ["资产总计", 6000, 5800, "所有者权益合计", 2500, "—"],
        ]
        result = reader.read_rows([("Sheet1", rows)], NAMES.get)
        self.assertEqual(result["unit"], Decimal(10000))
        period = result["periods"][None]
        self.assertEqual(period["closing"]["cash"], 5_400_000.0)
        self.assertEqual(period["opening"]["cash"], 5_105_000.0)
        self.assertEqual(period["closing"]["inventory"], 13_900_000.0)
        self.assertEqual(period["closing"]["short_term_loans"], 10_000_000.0)
        self.assertEqual(period["opening"]["short_term_loans"], 9_500_000.0)
        self.assertEqual(period["closing"]["equity"], 25_000_000.0)
        self.assertNotIn("equity", period["opening"])  # "—" is empty
        self.assertEqual(result["unknown"], [])

    def test_amounts_before_names_and_opening_before_closing(self):
        rows = [
            ["年初数", "期末数", "项目"],
            [100, 120, "货币资金"],
            [None, "(30)", "净利润"],
            [5, 6, "研发支出资本化"],
        ]
        result = reader.read_rows([("表", rows)], NAMES.get)
        period = result["periods"][None]
        self.assertEqual(period["closing"], {"cash": 120.0, "net_profit": -30.0})
        self.assertEqual(period["opening"], {"cash": 100.0})
        self.assertEqual(result["unknown"], [("表", 4, "研发支出资本化", 6.0)])

    def test_one_column_per_year_gives_one_period_per_year(self):
        rows = [
            ["项目", "2023年", 2024, "2025年度"],
            ["营业收入", 5600, 6100, 6500],
            ["净利润", 276, 332, 375],
        ]
        result = reader.read_rows([("三年", rows)], NAMES.get, unit=Decimal(10000))
        self.assertEqual(
            {date: values["closing"]["revenue"] for date, values in result["periods"].items()},
            {datetime.date(2023, 12, 31): 56_000_000.0, datetime.date(2024, 12, 31): 61_000_000.0,
             datetime.date(2025, 12, 31): 65_000_000.0},
        )

    def test_the_income_statement_below_the_balance_sheet_switches_columns(self):
        rows = [
            ["资产", "期末余额", "年初余额"],
            ["货币资金", 10, 8],
            [None, None, None],
            ["项目", "上期金额", "本期金额"],
            ["营业收入", 90, 100],
        ]
        period = reader.read_rows([("s", rows)], NAMES.get)["periods"][None]
        self.assertEqual(period["closing"], {"cash": 10.0, "revenue": 100.0})
        self.assertEqual(period["opening"], {"cash": 8.0, "revenue": 90.0})

    def test_the_same_layout_has_the_same_signature_whatever_the_year(self):
        def sheet(year):
            return [("s", [["资产负债表 %s年12月31日" % year], ["项目", "%s年" % year, "金额"],
                           ["货币资金", 1, 2]])]

        self.assertEqual(reader.layout_signature(sheet(2024)), reader.layout_signature(sheet(2025)))
        other = [("s", [["项目", "期末余额", "年初余额"], ["货币资金", 1, 2]])]
        self.assertNotEqual(reader.layout_signature(sheet(2024)), reader.layout_signature(other))

    def test_scanned_page_lines_are_rebuilt_from_their_positions(self):
        def box(x, y, text):
            return ([[x, y], [x + 80, y], [x + 80, y + 20], [x, y + 20]], text, 0.99)

        boxes = [
            box(300, 10, "单位：万元"),
            box(10, 50, "项目"), box(200, 52, "行次"), box(300, 49, "期末余额"),
            box(450, 51, "年初余额"),
            box(10, 100, "货币资金"), box(210, 101, "1"), box(300, 99, "540.00"),
            box(450, 102, "510.00"),
            box(10, 150, "一、营业收入6,500.00"),
            box(10, 200, "存货"), box(210, 200, "3"), box(450, 201, "1,320.00"),
        ]
        result = reader.read_ocr(boxes, NAMES.get)
        self.assertEqual(result["unit"], Decimal(10000))
        period = result["periods"][None]
        self.assertEqual(period["closing"], {"cash": 5_400_000.0, "revenue": 65_000_000.0})
        self.assertEqual(period["opening"], {"cash": 5_100_000.0, "inventory": 13_200_000.0})
