import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.guarantee_financial_statement_monitoring import last_period_end
from .due_diligence_common import WAN, YEAR_2024, YEAR_2025, DueDiligenceCase


@tagged("post_install", "-at_install")
class TestFinancialStatements(DueDiligenceCase):
    """Statements entered by item, checked, turned into ratios with their trend and flags."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Benchmark = cls.env["guarantee.financial.benchmark"]
        # C small: debt ratio average 50 %, poor 54 %; every scale: current ratio 1.2 / 0.8
        Benchmark.create([
            {"company_id": cls.company.id, "industry_id": cls.manufacturing.id,
             "enterprise_scale": "small", "ratio": "debt_ratio", "value_average": 50.0,
             "value_poor": 54.0},
            {"company_id": cls.company.id, "industry_id": cls.manufacturing.id,
             "ratio": "debt_ratio", "value_average": 70.0, "value_poor": 90.0},
            {"company_id": cls.company.id, "industry_id": cls.manufacturing.id,
             "ratio": "current_ratio", "value_average": 1.2, "value_poor": 0.8},
        ])
        cls.first, cls.second = cls._two_years(cls.customer_dd)

    def _ratio(self, statement, code):
        return statement.ratio_ids.filtered(lambda r: r.ratio == code)

    def test_the_form_is_a_grid_of_every_item_of_the_format(self):
        Item = self.env["guarantee.financial.item"]
        statement = self.env["guarantee.financial.statement"].with_user(self.pm_a).create({
            "partner_id": self.customer_dd.id, "company_id": self.company.id,
            "date_end": "2023-12-31",
        })
        general = Item.search([("in_general", "=", True), ("statement", "=", "balance")])
        self.assertEqual(statement.balance_line_ids.item_id, general)
        self.assertEqual(statement.date_start, datetime.date(2023, 1, 1))
        small = self.env["guarantee.financial.statement"].with_user(self.pm_a).create({
            "partner_id": self.customer_dd.id, "company_id": self.company.id,
            "date_end": "2022-12-31", "standard": "small",
        })
        self.assertEqual(
            small.line_ids.item_id, Item.search([("in_small", "=", True)])
        )
        # the small-enterprise format shows its own names: 预付账款, 营业税金及附加
        labels = set(small.line_ids.mapped("label"))
        self.assertTrue({"\u3000预付账款", "\u3000营业税金及附加"} <= labels, labels)

    def test_a_statement_that_does_not_balance_names_the_line_and_the_amounts(self):
        figures = dict(YEAR_2024, paid_in_capital=1900, equity=2300, total_liabilities_equity=4900)
        statement = self._statement(self.customer_dd, 2023, figures)
        self.assertEqual(statement.check_failure_count, 1)
        # 负债合计 2600 + 所有者权益合计 2300 = 4900 万元 ≠ 资产总计 5000 万元
        self.assertEqual(
            statement.check_summary,
            "资产总计 50,000,000.00 does not equal liabilities plus equity 49,000,000.00 "
            "(difference 1,000,000.00).",
        )
        with self.assertRaisesExactly(
            UserError,
            r"^The statements cannot be confirmed:\n测试精密制造有限公司 2023-12-31: 资产总计 "
            r"50,000,000\.00 does not equal liabilities plus equity 49,000,000\.00 \(difference "
            r"1,000,000\.00\)\.$",
        ):
            statement.with_user(self.pm_a).action_confirm()
        self.assertEqual(statement.state, "draft")

    def test_each_check_failure_is_a_sentence(self):
        figures = dict(YEAR_2025, inventory=1300, prepayments=-10, cash_end=620)
        statement = self._statement(self.customer_dd, 2026, figures)
        summary = statement.check_summary
        # 600 + 1000 − 10 + 1300 + 200 = 3090 ≠ 3500
        self.assertIn("流动资产合计 35,000,000.00 does not equal the sum of its lines "
                      "30,900,000.00 (difference 4,100,000.00).", summary)
        self.assertIn("预付款项 is negative: -100,000.00.", summary)
        # 500 + 100 = 600 ≠ 620
        self.assertIn("期末现金及现金等价物余额 6,200,000.00 does not equal the opening cash plus "
                      "the net change, 6,000,000.00 (difference 200,000.00).", summary)

    def test_opening_balances_must_follow_last_years_closing(self):
        # 2026's 年初存货 1350 but the 2025 statement closed at 1400 (the 2025 statement is the
        # previous one: it closes the day before 2026 starts)
        statement = self._statement(
            self.customer_dd, 2026, YEAR_2025, opening={"cash": 600, "inventory": 1350}
        )
        self.assertEqual(statement.previous_id, self.second)
        self.assertIn("Opening 存货 13,500,000.00 does not equal the previous statement's "
                      "14,000,000.00 (difference -500,000.00).", statement.check_summary)

    def test_ratios_with_trend_and_flags_from_the_benchmark_of_section_and_scale(self):
        debt = self._ratio(self.second, "debt_ratio")
        # 3300 / 6000 = 55 %; 2024: 2600 / 5000 = 52 %; trend up
        self.assertAlmostEqual(debt.value, 55.0, places=6)
        self.assertAlmostEqual(debt.previous_value, 52.0, places=6)
        self.assertEqual(debt.trend, "up")
        # the small-scale benchmark of section C wins over the every-scale one: 55 > 54 poor
        self.assertEqual((debt.benchmark_average, debt.benchmark_poor, debt.flag),
                         (50.0, 54.0, "poor"))
        current = self._ratio(self.second, "current_ratio")
        # 3500 / 2100 = 1.6667 ≥ 1.2: good
        self.assertAlmostEqual(current.value, 3500 / 2100, places=2)
        self.assertEqual(current.flag, "good")
        receivable = self._ratio(self.second, "receivable_days")
        # averages from the 2024 statement: 360 × (800 + 1000) / 2 / 9000 = 36 days
        self.assertAlmostEqual(receivable.value, 36.0, places=6)
        self.assertFalse(self._ratio(self.second, "quick_ratio").has_benchmark)
        growth = self._ratio(self.first, "revenue_growth")
        self.assertFalse(growth.has_value, "the first year has nothing to grow from")

    def test_small_enterprise_statement_lines_add_into_the_same_items(self):
        # 小企业会计准则 lines in 万元: 应收票据 100 + 应收账款 700 = 应收票据及应收账款 800
        # (no such line in the small format); 固定资产原价 1000 − 累计折旧 400 = 账面价值 600
        small = {
            "cash": 200, "notes_receivable": 100, "accounts_receivable": 700, "prepayments": 50,
            "other_receivables": 50, "inventory": 600, "current_assets": 1700,
            "fixed_assets_cost": 1000, "accumulated_depreciation": 400, "fixed_assets": 600,
            "non_current_assets": 600, "total_assets": 2300, "short_term_loans": 400,
            "accounts_payable": 500, "advances_received": 100, "current_liabilities": 1000,
            "total_liabilities": 1000, "paid_in_capital": 1000, "undistributed_profit": 300,
            "equity": 1300, "total_liabilities_equity": 2300, "revenue": 3600,
            "cost_of_sales": 3000,
            "taxes_surcharges": 20, "admin_expenses": 380, "financial_expenses": 40,
            "interest_expense": 40, "operating_profit": 160, "total_profit": 160,
            "income_tax": 40, "net_profit": 120,
        }
        partner = self._company_partner("测试小微纺织有限公司", scale="micro")
        statement = self._statement(partner, 2025, small, standard="small")
        self.assertEqual(statement.check_failure_count, 0, statement.check_summary)
        statement.action_confirm()
        ratios = {r.ratio: r for r in statement.ratio_ids}
        # no opening balances: turnovers on the closing balances
        # 应收: 360 × 800 / 3600 = 80 days; 存货: 360 × 600 / 3000 = 72 days
        self.assertAlmostEqual(ratios["receivable_days"].value, 80.0, places=6)
        self.assertAlmostEqual(ratios["inventory_days"].value, 72.0, places=6)
        # 资产负债率 1000 / 2300 = 43.48 %; 速动比率 (1700 − 600) / 1000 = 1.1
        self.assertAlmostEqual(ratios["debt_ratio"].value, 1000 / 2300 * 100, places=2)
        self.assertAlmostEqual(ratios["quick_ratio"].value, 1.1, places=6)
        # 利息保障倍数 (160 + 40) / 40 = 5; 销售利润率 160 / 3600 = 4.44 %
        self.assertAlmostEqual(ratios["interest_coverage"].value, 5.0, places=6)
        self.assertAlmostEqual(ratios["profit_margin"].value, 160 / 3600 * 100, places=2)

    def test_a_confirmed_statement_is_frozen_until_reset(self):
        line = self.second.line_ids.filtered(lambda line: line.item_id.code == "cash")
        with self.assertRaisesExactly(
            UserError,
            r"^guarantee\.financial\.statement\.line,\d+ is Confirmed and can no longer be "
            r"changed\.$",
        ):
            line.with_user(self.pm_a).write({"amount": 1.0})
        with self.assertRaisesExactly(
            UserError,
            r"^测试精密制造有限公司 2025-12-31 is Confirmed and can no longer be changed\.$",
        ):
            self.second.with_user(self.pm_a).write({"auditor": "改"})
        with self.assertRaisesExactly(
            UserError,
            r"^“State” of Financial Statement change only through its actions, which check their "
            r"conditions and record who and why\.$",
        ):
            self.second.with_user(self.pm_a).write({"state": "draft"})
        self.second.with_user(self.pm_a).action_reset_draft()
        line.with_user(self.pm_a).write({"amount": 6_100_000.0})
        self.assertEqual(line.amount, 6_100_000.0)

    def test_ratios_are_computed_never_typed(self):
        ratio = self._ratio(self.second, "debt_ratio")
        with self.assertRaisesRegex(AccessError, "not allowed to modify"):
            ratio.with_user(self.pm_a).write({"value": 10.0})
        with self.assertRaisesRegex(AccessError, "not allowed to delete"):
            ratio.with_user(self.risk).unlink()
        # a corrected line changes the ratio at once
        self.second.action_reset_draft()
        self.second._set_amounts({"total_liabilities": 3000 * WAN, "long_term_loans": 900 * WAN,
                                  "non_current_liabilities": 900 * WAN,
                                  "equity": 3000 * WAN, "undistributed_profit": 1000 * WAN})
        self.assertAlmostEqual(self._ratio(self.second, "debt_ratio").value, 50.0, places=6)

    def test_monitoring_warns_when_a_ratio_crosses_its_threshold(self):
        rule = self.env["guarantee.warning.rule"].create({
            "name": "资产负债率超过54%", "company_id": self.company.id,
            "signal_type": "financial_ratio", "ratio": "debt_ratio",
            "ratio_operator": "above", "ratio_threshold": 54.0, "severity": "high",
            "response_days": 7, "by_email": False,
        })
        partner = self._company_partner("测试在保制造有限公司",
                                        industry_id=self.manufacturing.id)
        project = self._in_force(partner, 3_000_000)
        first = self._statement(partner, 2024, YEAR_2024)
        first.action_confirm()  # 52 %: below the threshold
        self.assertFalse(project.risk_signal_ids)
        second = self._statement(partner, 2025, YEAR_2025)
        second.action_confirm()  # 55 %: above
        signal = project.risk_signal_ids
        self.assertEqual(len(signal), 1)
        self.assertEqual((signal.signal_type, signal.ratio, signal.rule_id, signal.severity),
                         ("financial_ratio", "debt_ratio", rule, "high"))
        self.assertEqual(signal.financial_statement_id, second)
        self.assertIn("55.00", signal.description)
        self.assertTrue(signal.activity_ids, "the A-role and risk officers are told")
        # a later statement does not repeat the warning while it is open
        second.action_reset_draft()
        second.action_confirm()
        self.assertEqual(len(project.risk_signal_ids), 1)

    def test_the_last_period_closed_before_a_day(self):
        self.assertEqual(last_period_end(datetime.date(2026, 2, 1), "annual"),
                         datetime.date(2025, 12, 31))
        self.assertEqual(last_period_end(datetime.date(2026, 12, 31), "annual"),
                         datetime.date(2025, 12, 31))
        self.assertEqual(last_period_end(datetime.date(2026, 8, 15), "semiannual"),
                         datetime.date(2026, 6, 30))
        self.assertEqual(last_period_end(datetime.date(2026, 5, 1), "quarterly"),
                         datetime.date(2026, 3, 31))
        self.assertEqual(last_period_end(datetime.date(2026, 1, 20), "quarterly"),
                         datetime.date(2025, 12, 31))

    def test_monitoring_asks_the_a_role_for_the_statements_of_each_period(self):
        activity_type = self.env.ref("guarantee_risk.mail_activity_type_financial_statements")
        partner = self._company_partner("测试待报送有限公司", industry_id=self.manufacturing.id)
        project = self._in_force(partner, 2_000_000)
        on_time = self._company_partner("测试已报送有限公司", industry_id=self.manufacturing.id)
        on_time_project = self._in_force(on_time, 2_000_000)
        self._statement(on_time, 2025, YEAR_2025).action_confirm()
        Statement = self.env["guarantee.financial.statement"]
        with freeze_time("2026-02-01"):
            Statement._cron_request_statements()
            Statement._cron_request_statements()
        asked = project.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        # once, to the A-role, due 120 days after 31 December 2025: 30 April 2026
        self.assertEqual(len(asked), 1)
        self.assertEqual((asked.user_id, asked.date_deadline),
                         (self.pm_a, datetime.date(2026, 4, 30)))
        self.assertEqual(project.statement_requested_for, datetime.date(2025, 12, 31))
        # the customer whose 2025 statements are in is not asked
        self.assertFalse(
            on_time_project.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )
        statement = self._statement(partner, 2025, YEAR_2025)
        statement.action_confirm()
        self.assertFalse(
            project.activity_ids.filtered(lambda a: a.activity_type_id == activity_type),
            "the request is done once the statements are confirmed",
        )
