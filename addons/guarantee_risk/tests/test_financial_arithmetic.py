from odoo.tests import BaseCase, tagged

from ..tools import financial_checks as checks
from ..tools import financial_ratios as fr
from ..tools import working_capital as wc

WAN = 10000.0

# A small catalogue with the shape of the real one: lines add into subtotals with a sign.
ITEMS = [
    {"code": "cash", "parent": "current_assets", "sign": 1, "positive": True,
     "statement": "balance"},
    {"code": "notes_accounts_receivable", "parent": "current_assets", "sign": 1,
     "subtotal": True, "positive": True, "statement": "balance"},
    {"code": "notes_receivable", "parent": "notes_accounts_receivable", "sign": 1,
     "positive": True, "statement": "balance"},
    {"code": "accounts_receivable", "parent": "notes_accounts_receivable", "sign": 1,
     "positive": True, "statement": "balance"},
    {"code": "prepayments", "parent": "current_assets", "sign": 1, "positive": True,
     "statement": "balance"},
    {"code": "inventory", "parent": "current_assets", "sign": 1, "positive": True,
     "statement": "balance"},
    {"code": "other_current_assets", "parent": "current_assets", "sign": 1, "positive": True,
     "statement": "balance"},
    {"code": "current_assets", "parent": "total_assets", "sign": 1, "subtotal": True,
     "positive": True, "statement": "balance"},
    {"code": "fixed_assets", "parent": "total_assets", "sign": 1, "positive": True,
     "statement": "balance"},
    {"code": "total_assets", "subtotal": True, "positive": True, "statement": "balance"},
    {"code": "current_liabilities", "parent": "total_liabilities", "sign": 1,
     "positive": True, "statement": "balance"},
    {"code": "long_term_loans", "parent": "total_liabilities", "sign": 1, "positive": True,
     "statement": "balance"},
    {"code": "total_liabilities", "subtotal": True, "positive": True, "statement": "balance"},
    {"code": "equity", "statement": "balance"},
    {"code": "revenue", "parent": "total_profit", "sign": 1, "positive": True,
     "statement": "income"},
    {"code": "cost_of_sales", "parent": "total_profit", "sign": -1, "positive": True,
     "statement": "income"},
    {"code": "total_profit", "subtotal": True, "statement": "income"},
    {"code": "cfo_net", "parent": "net_change_cash", "sign": 1, "statement": "cash_flow"},
    {"code": "cfi_net", "parent": "net_change_cash", "sign": 1, "statement": "cash_flow"},
    {"code": "net_change_cash", "subtotal": True, "statement": "cash_flow"},
    {"code": "cash_begin", "statement": "cash_flow"},
    {"code": "cash_end", "statement": "cash_flow"},
]


def statement(**amounts_in_wan):
    return {code: amount * WAN for code, amount in amounts_in_wan.items()}


# 2024 and 2025 of a general enterprise, in 万元 (the golden figures below are by hand).
YEAR_2024 = statement(
    cash=500, notes_accounts_receivable=800, prepayments=200, inventory=1200,
    other_current_assets=200, current_assets=2900, fixed_assets=2100, total_assets=5000,
    notes_accounts_payable=600, advances_received=100, current_liabilities=1800,
    total_liabilities=2600, equity=2400, revenue=8000, cost_of_sales=6400,
)
YEAR_2025 = statement(
    cash=600, notes_accounts_receivable=1000, prepayments=300, inventory=1400,
    other_current_assets=200, current_assets=3500, fixed_assets=2500, total_assets=6000,
    short_term_loans=300, notes_accounts_payable=800, advances_received=200,
    current_liabilities=2100, total_liabilities=3300, equity=2700, revenue=9000,
    cost_of_sales=7200, financial_expenses=100, interest_expense=90, total_profit=450,
    net_profit=360, cfo_net=420,
)


@tagged("post_install", "-at_install")
class TestFinancialRatioArithmetic(BaseCase):
    """Ratios and turnover days, computed by hand in each comment."""

    def test_general_enterprise_ratios_golden(self):
        ratios = fr.compute_ratios(YEAR_2025, opening=YEAR_2024, previous=YEAR_2024)
        # 资产负债率 = 3300 / 6000 = 55 %
        self.assertAlmostEqual(ratios["debt_ratio"], 55.0, places=9)
        # 流动比率 = 3500 / 2100 = 1.666667; 速动比率 = (3500 − 1400) / 2100 = 1.0
        self.assertAlmostEqual(ratios["current_ratio"], 3500 / 2100, places=9)
        self.assertAlmostEqual(ratios["quick_ratio"], 1.0, places=9)
        # 利息保障倍数 = (450 + 90) / 90 = 6 (利息费用 given, so 财务费用 100 is not used)
        self.assertAlmostEqual(ratios["interest_coverage"], 6.0, places=9)
        # 应收: avg (800 + 1000) / 2 = 900, 360 × 900 / 9000 = 36 days
        self.assertAlmostEqual(ratios["receivable_days"], 36.0, places=9)
        # 存货: avg (1200 + 1400) / 2 = 1300, 360 × 1300 / 7200 = 65 days
        self.assertAlmostEqual(ratios["inventory_days"], 65.0, places=9)
        # 应付: avg (600 + 800) / 2 = 700, 360 × 700 / 7200 = 35 days
        self.assertAlmostEqual(ratios["payable_days"], 35.0, places=9)
        # 销售利润率 = 450 / 9000 = 5 %
        self.assertAlmostEqual(ratios["profit_margin"], 5.0, places=9)
        # 净资产收益率 = 360 / ((2400 + 2700) / 2 = 2550) = 14.117647 %
        self.assertAlmostEqual(ratios["roe"], 36000 / 2550, places=9)
        # 营业收入增长率 = (9000 − 8000) / 8000 = 12.5 %
        self.assertAlmostEqual(ratios["revenue_growth"], 12.5, places=9)
        # 经营现金流 / 流动负债 = 420 / 2100 = 0.2
        self.assertAlmostEqual(ratios["cfo_to_current_liabilities"], 0.2, places=9)

    def test_loss_making_company_has_negative_margin_roe_and_coverage(self):
        loss = statement(revenue=5000, cost_of_sales=4800, total_profit=-200, net_profit=-250,
                         interest_expense=100, equity=1000, total_assets=4000,
                         total_liabilities=3000)
        ratios = fr.compute_ratios(loss, opening=statement(equity=1000))
        # 销售利润率 = −200 / 5000 = −4 %; 利息保障倍数 = (−200 + 100) / 100 = −1
        self.assertAlmostEqual(ratios["profit_margin"], -4.0, places=9)
        self.assertAlmostEqual(ratios["interest_coverage"], -1.0, places=9)
        # 净资产收益率 = −250 / ((1000 + 1000) / 2) = −25 %
        self.assertAlmostEqual(ratios["roe"], -25.0, places=9)

    def test_zero_denominators_give_no_ratio_rather_than_zero_or_infinity(self):
        empty = statement(total_assets=0, current_assets=100, inventory=50, revenue=0,
                          cost_of_sales=0, total_profit=10, net_profit=-5, equity=-20)
        ratios = fr.compute_ratios(empty, previous=statement(revenue=0))
        for code in ("debt_ratio", "current_ratio", "quick_ratio", "interest_coverage",
                     "receivable_days", "inventory_days", "payable_days", "profit_margin",
                     "roe", "revenue_growth", "cfo_to_current_liabilities"):
            self.assertIsNone(ratios[code], code)

    def test_turnover_without_opening_balance_uses_the_closing_balance(self):
        # no opening known: average = closing 1000; 360 × 1000 / 9000 = 40 days
        _averages, days = fr.turnover_inputs(YEAR_2025)
        self.assertAlmostEqual(days["receivable"], 40.0, places=9)
        # an interim half year turns over in 180 days: 180 × 900 / 4500 = 36 days
        half = statement(notes_accounts_receivable=1000, revenue=4500)
        _averages, days = fr.turnover_inputs(
            half, statement(notes_accounts_receivable=800), period_days=180
        )
        self.assertAlmostEqual(days["receivable"], 36.0, places=9)

    def test_flags_against_the_industry_benchmark(self):
        # debt ratio: lower is better; average 60 %, poor 80 %
        self.assertEqual(fr.flag("debt_ratio", 55.0, 60.0, 80.0), "good")
        self.assertEqual(fr.flag("debt_ratio", 70.0, 60.0, 80.0), "weak")
        self.assertEqual(fr.flag("debt_ratio", 80.0, 60.0, 80.0), "poor")
        # current ratio: higher is better; average 1.2, poor 0.8
        self.assertEqual(fr.flag("current_ratio", 1.2, 1.2, 0.8), "good")
        self.assertEqual(fr.flag("current_ratio", 0.5, 1.2, 0.8), "poor")
        self.assertIsNone(fr.flag("current_ratio", None, 1.2, 0.8))
        self.assertIsNone(fr.flag("current_ratio", 1.5, None, None))
        self.assertEqual(fr.trend(55.0, 50.0), "up")
        self.assertEqual(fr.trend(50.1, 50.0), "flat")


@tagged("post_install", "-at_install")
class TestWorkingCapitalMeasurement(BaseCase):
    """授信额度测算 by the working-capital method, computed by hand in each comment."""

    def test_measurement_of_a_general_enterprise_golden(self):
        _averages, days = fr.turnover_inputs(YEAR_2025, YEAR_2024)
        # days: 存货 65, 应收 36, 应付 35, 预付 360 × 250 / 7200 = 12.5, 预收 360 × 150 / 9000 = 6
        self.assertAlmostEqual(days["prepayment"], 12.5, places=9)
        self.assertAlmostEqual(days["advance"], 6.0, places=9)
        result = wc.working_capital_need(9000 * WAN, 5.0, 10.0, days)
        # cycle = 65 + 36 − 35 + 12.5 − 6 = 72.5 days; 周转次数 = 360 / 72.5 = 4.965517
        self.assertAlmostEqual(result["cycle_days"], 72.5, places=9)
        self.assertAlmostEqual(result["turnover"], 360 / 72.5, places=9)
        # 营运资金量 = 9000 × (1 − 5 %) × (1 + 10 %) / 4.965517 = 9405 × 72.5 / 360
        #            = 1894.0625 万元
        self.assertAlmostEqual(result["need"], 1894.0625 * WAN, places=4)
        # 自有资金 = 流动资产 − 流动负债 = 3500 − 2100 = 1400; 现有流动资金贷款 300; 其他 0
        own = wc.own_funds(YEAR_2025["current_assets"], YEAR_2025["current_liabilities"])
        self.assertAlmostEqual(own, 1400 * WAN, places=6)
        new = wc.new_working_capital_loan(result["need"], own, 300 * WAN, 0.0)
        # 新增流动资金贷款额度 = 1894.0625 − 1400 − 300 − 0 = 194.0625 万元
        self.assertAlmostEqual(new, 194.0625 * WAN, places=4)
        # an adjustment of −44.0625 万元 (with its reason) proposes 150 万元
        self.assertAlmostEqual(wc.proposed_amount(new, [-44.0625 * WAN]), 150 * WAN, places=4)

    def test_loss_making_company_needs_more_working_capital(self):
        days = {"receivable": 36.0, "inventory": 60.0, "payable": 30.0, "prepayment": 7.5,
                "advance": 3.6}
        # margin −4 %, growth −20 %: cycle 60 + 36 − 30 + 7.5 − 3.6 = 69.9 days;
        # 5000 × 1.04 × 0.8 × 69.9 / 360 = 807.733333 万元
        result = wc.working_capital_need(5000 * WAN, -4.0, -20.0, days)
        self.assertAlmostEqual(result["cycle_days"], 69.9, places=9)
        self.assertAlmostEqual(result["need"], 5000 * 1.04 * 0.8 * 69.9 / 360 * WAN, places=4)
        self.assertAlmostEqual(result["need"], 807.733333 * WAN, places=0)

    def test_a_cycle_funded_by_suppliers_needs_nothing(self):
        days = {"receivable": 10.0, "inventory": 20.0, "payable": 40.0, "prepayment": 0.0,
                "advance": 0.0}
        # 20 + 10 − 40 = −10 days: no turnover count, no need
        result = wc.working_capital_need(1000 * WAN, 5.0, 0.0, days)
        self.assertEqual((result["turnover"], result["need"]), (None, 0.0))
        # and a measurement below zero proposes nothing
        self.assertEqual(wc.proposed_amount(-500.0, [100.0]), 0.0)

    def test_zero_denominators_stop_the_measurement_with_the_reason(self):
        _averages, days = fr.turnover_inputs(statement(inventory=100, revenue=1000))
        # no cost of sales: inventory, payable and prepayment days cannot be computed
        with self.assertRaisesRegex(wc.MeasurementError, "no_turnover") as caught:
            wc.working_capital_need(1000 * WAN, 5.0, 0.0, days)
        self.assertEqual(caught.exception.params["items"], ["inventory", "payable", "prepayment"])
        with self.assertRaisesRegex(wc.MeasurementError, "no_revenue"):
            wc.working_capital_need(0.0, 5.0, 0.0, days)
        with self.assertRaisesRegex(wc.MeasurementError, "no_base"):
            wc.multiple_of(-10.0, 0.5)
        # 0.5 × net assets of 2700 万元 = 1350 万元
        self.assertAlmostEqual(wc.multiple_of(2700 * WAN, 0.5), 1350 * WAN, places=6)

    def test_own_funds_never_below_zero(self):
        self.assertEqual(wc.own_funds(1000.0, 1500.0), 0.0)


@tagged("post_install", "-at_install")
class TestStatementChecks(BaseCase):
    """Each check with a statement that passes and one that fails, named by line and amount."""

    GOOD = statement(
        cash=600, notes_receivable=100, accounts_receivable=900, prepayments=300,
        inventory=1400, other_current_assets=200, current_assets=3500, fixed_assets=2500,
        total_assets=6000, current_liabilities=2100, long_term_loans=1200,
        total_liabilities=3300, equity=2700, revenue=9000, cost_of_sales=7200,
        total_profit=1800, cfo_net=420, cfi_net=-320, net_change_cash=100, cash_begin=500,
        cash_end=600,
    )
    PREVIOUS = statement(cash=500, inventory=1200, total_assets=5000, revenue=8000)

    def _failures(self, values, **options):
        return checks.check_statement(values, ITEMS, tolerance=1.0, **options)

    def test_a_consistent_statement_passes_every_check(self):
        self.assertEqual(
            self._failures(self.GOOD, previous=self.PREVIOUS,
                           opening=statement(cash=500, inventory=1200)),
            [],
        )

    def test_an_empty_subtotal_is_computed_from_its_lines(self):
        # 应收票据 100 + 应收账款 900 = 应收票据及应收账款 1000 (small-enterprise lines)
        normal = checks.normalise(self.GOOD, ITEMS)
        self.assertEqual(normal["notes_accounts_receivable"], 1000 * WAN)

    def test_assets_not_equal_to_liabilities_and_equity(self):
        values = dict(self.GOOD, equity=2600 * WAN)
        # 3300 + 2600 = 5900 ≠ 6000: 100 万元 missing
        self.assertIn(
            {"check": "balance", "item": "total_assets", "amount": 6000 * WAN,
             "expected": 5900 * WAN, "difference": 100 * WAN},
            self._failures(values),
        )

    def test_a_subtotal_that_does_not_add_up(self):
        values = dict(self.GOOD, inventory=1300 * WAN)
        failures = self._failures(values)
        # 600 + 1000 + 300 + 1300 + 200 = 3400 ≠ 3500 entered
        self.assertEqual(
            [f for f in failures if f["check"] == "subtotal"],
            [{"check": "subtotal", "item": "current_assets", "amount": 3500 * WAN,
              "expected": 3400 * WAN, "difference": 100 * WAN}],
        )

    def test_cash_flow_must_roll_the_cash_forward(self):
        values = dict(self.GOOD, cash_end=620 * WAN)
        # 500 + 100 = 600 ≠ 620
        self.assertIn(
            {"check": "cash_roll", "item": "cash_end", "amount": 620 * WAN,
             "expected": 600 * WAN, "difference": 20 * WAN},
            self._failures(values),
        )

    def test_change_in_cash_must_agree_with_the_balance_sheet(self):
        # 货币资金 went from 480 to 600 (+120); the cash-flow statement says +100
        failures = self._failures(self.GOOD, opening=statement(cash=480))
        self.assertIn(
            {"check": "cash_balance", "item": "net_change_cash", "amount": 100 * WAN,
             "expected": 120 * WAN, "difference": -20 * WAN},
            failures,
        )

    def test_opening_balance_must_equal_last_years_closing(self):
        # 年初存货 1150 but last year's statement closed at 1200
        failures = self._failures(self.GOOD, previous=self.PREVIOUS,
                                  opening=statement(cash=500, inventory=1150))
        self.assertEqual(
            [f for f in failures if f["check"] == "continuity"],
            [{"check": "continuity", "item": "inventory", "amount": 1150 * WAN,
              "expected": 1200 * WAN, "difference": -50 * WAN}],
        )
        # 上期营业收入 7900 vs 8000 counts only when both periods are as long
        opening = statement(cash=500, inventory=1200, revenue=7900)
        self.assertTrue(self._failures(self.GOOD, previous=self.PREVIOUS, opening=opening))
        self.assertEqual(
            self._failures(self.GOOD, previous=self.PREVIOUS, opening=opening,
                           compare_flows=False),
            [],
        )

    def test_a_negative_amount_where_only_positive_makes_sense(self):
        values = dict(self.GOOD, prepayments=-10 * WAN, other_current_assets=510 * WAN)
        self.assertEqual(
            self._failures(values),
            [{"check": "sign", "item": "prepayments", "amount": -10 * WAN, "expected": 0.0,
              "difference": -10 * WAN}],
        )

    def test_rounding_within_the_tolerance_is_not_a_failure(self):
        values = dict(self.GOOD, current_assets=3500 * WAN + 0.6)
        self.assertEqual(self._failures(values), [])
