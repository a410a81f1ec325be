from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .due_diligence_common import WAN, YEAR_2024, DueDiligenceCase


@tagged("post_install", "-at_install")
class TestCreditMeasurement(DueDiligenceCase):
    """授信额度测算 on the customer's statements, kept with its figures, proposed as the amount
    of a credit line that records where it came from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first, cls.second = cls._two_years(cls.customer_dd)
        cls.project = cls._project(cls.customer_dd, 2_000_000)
        Method = cls.env["guarantee.credit.method"]
        cls.net_assets_method = Method.create({
            "name": "净资产0.5倍", "company_id": cls.company.id, "base": "net_assets",
            "factor": 0.5,
        })
        cls.sales_method = Method.create({
            "name": "销售收入15%", "company_id": cls.company.id, "base": "sales", "factor": 0.15,
        })
        cls.collateral_method = Method.create({
            "name": "反担保1倍", "company_id": cls.company.id, "base": "collateral",
            "factor": 1.0,
        })

    def _measure(self, **values):
        return self.env["guarantee.credit.measurement"].with_user(self.pm_a).create(dict({
            "partner_id": self.customer_dd.id,
            "company_id": self.company.id,
            "project_id": self.project.id,
            "statement_id": self.second.id,
            "growth_rate": 10.0,
            "growth_reason": "订单增长",
        }, **values))

    def test_working_capital_measurement_golden(self):
        measurement = self._measure(adjustment_ids=[(0, 0, {
            "amount": -44.0625 * WAN, "reason": "大客户回款放缓",
        })])
        self.assertFalse(measurement.measure_message)
        # the 2025 statement has no opening column: the averages use the 2024 statement
        self.assertEqual(measurement.opening_source, "previous")
        self.assertEqual(measurement.statement_ids, self.first | self.second)
        # averages in 万元: 应收 (800 + 1000) / 2 = 900, 存货 1300, 应付 700, 预付 250, 预收 150
        self.assertAlmostEqual(measurement.avg_receivable, 900 * WAN, places=2)
        self.assertAlmostEqual(measurement.avg_advance, 150 * WAN, places=2)
        # days: 360 × 900 / 9000 = 36; 360 × 1300 / 7200 = 65; 360 × 700 / 7200 = 35;
        # 360 × 250 / 7200 = 12.5; 360 × 150 / 9000 = 6
        self.assertEqual(
            [round(d, 6) for d in (measurement.days_receivable, measurement.days_inventory,
                                   measurement.days_payable, measurement.days_prepayment,
                                   measurement.days_advance)],
            [36.0, 65.0, 35.0, 12.5, 6.0],
        )
        # 销售利润率 = 450 / 9000 = 5 %; cycle 65 + 36 − 35 + 12.5 − 6 = 72.5 days;
        # 周转次数 = 360 / 72.5 = 4.9655
        self.assertAlmostEqual(measurement.profit_margin, 5.0, places=6)
        self.assertAlmostEqual(measurement.cycle_days, 72.5, places=6)
        self.assertAlmostEqual(measurement.turnover_count, 360 / 72.5, places=4)
        # 营运资金量 = 9000 × 0.95 × 1.10 × 72.5 / 360 = 1894.0625 万元
        self.assertAlmostEqual(measurement.working_capital_need, 18_940_625.0, places=2)
        # 自有资金 3500 − 2100 = 1400; 现有流动资金贷款 (短期借款) 300
        self.assertAlmostEqual(measurement.own_funds, 14_000_000.0, places=2)
        self.assertAlmostEqual(measurement.existing_loans, 3_000_000.0, places=2)
        # 新增 = 1894.0625 − 1400 − 300 − 0 = 194.0625 万元; − 44.0625 adjustment = 150 万元
        self.assertAlmostEqual(measurement.measured_amount, 1_940_625.0, places=2)
        self.assertAlmostEqual(measurement.result_amount, 1_500_000.0, places=2)

    def test_other_funds_and_growth_change_the_result_with_their_reason(self):
        measurement = self._measure(growth_rate=0.0, other_funds=50 * WAN,
                                    other_funds_reason="股东借款50万元")
        # 9000 × 0.95 × 72.5 / 360 = 1721.875; − 1400 − 300 − 50 = −28.125: nothing new
        self.assertAlmostEqual(measurement.working_capital_need, 17_218_750.0, places=2)
        self.assertAlmostEqual(measurement.measured_amount, -281_250.0, places=2)
        self.assertEqual(measurement.result_amount, 0.0)
        measurement.write({"growth_reason": False, "other_funds_reason": False})
        with self.assertRaisesExactly(
            UserError,
            r"^The measurement cannot be confirmed:\nCS\d{4}-\d{5}: give the reason for the "
            r"expected growth\.\nCS\d{4}-\d{5}: say where the other working capital comes from\.$",
        ):
            measurement.with_user(self.pm_a).action_confirm()

    def test_a_statement_without_sales_cannot_be_measured(self):
        partner = self._company_partner("测试无收入有限公司")
        statement = self._statement(partner, 2025, dict(
            YEAR_2024, revenue=0, cost_of_sales=0, admin_expenses=0, operating_profit=0,
            total_profit=0, income_tax=0, net_profit=0, undistributed_profit=400))
        measurement = self._measure(partner_id=partner.id, statement_id=statement.id,
                                    project_id=False)
        self.assertEqual(measurement.measure_message,
                         "The statement has no sales revenue: the working-capital method "
                         "cannot measure a line.")
        with self.assertRaisesExactly(
            UserError,
            r"^The measurement cannot be confirmed:\nCS\d{4}-\d{5}: The statement has no sales "
            r"revenue: the working-capital method cannot measure a line\.\nCS\d{4}-\d{5}: the "
            r"statement used is not confirmed\.$",
        ):
            measurement.action_confirm()

    def test_configured_methods_measure_a_multiple_of_their_base(self):
        # net assets 2700 × 0.5 = 1350 万元; sales 9000 × 0.15 = 1350 万元
        by_assets = self._measure(method="configured", method_id=self.net_assets_method.id)
        self.assertAlmostEqual(by_assets.base_amount, 27_000_000.0, places=2)
        self.assertAlmostEqual(by_assets.result_amount, 13_500_000.0, places=2)
        by_sales = self._measure(method="configured", method_id=self.sales_method.id)
        self.assertAlmostEqual(by_sales.result_amount, 13_500_000.0, places=2)
        # collateral: appraised 1000 万元 × 70 % = 700 万元 recognised, × 1
        self.env["guarantee.collateral"].create({
            "project_id": self.project.id, "name": "厂房抵押", "kind": "mortgage",
            "asset_type": "real_estate", "owner_id": self.customer_dd.id,
            "appraised_value": 10_000_000, "haircut": 70,
        })
        by_collateral = self._measure(method="configured", method_id=self.collateral_method.id)
        self.assertAlmostEqual(by_collateral.result_amount, 7_000_000.0, places=2)

    def test_a_confirmed_measurement_is_kept_as_it_was(self):
        measurement = self._measure()
        measurement.action_confirm()
        with self.assertRaisesExactly(
            UserError,
            r"^CS\d{4}-\d{5} is Confirmed and can no longer be changed\.$",
        ):
            measurement.with_user(self.pm_a).write({"growth_rate": 30.0})
        with self.assertRaisesExactly(
            UserError,
            r"^“Proposed Line” of Credit-Line Measurement change only through its actions, which "
            r"check their conditions and record who and why\.$",
        ):
            measurement.with_user(self.pm_a).write({"result_amount": 99.0})
        with self.assertRaisesExactly(
            UserError,
            r"^A confirmed measurement keeps its adjustments as they were\.$",
        ):
            self.env["guarantee.credit.measurement.adjustment"].create({
                "measurement_id": measurement.id, "amount": 1.0, "reason": "x",
            })
        # a statement corrected later does not move the kept figures
        self.second.action_reset_draft()
        self.second._set_amounts({"revenue": 1.0})
        self.assertAlmostEqual(measurement.working_capital_need, 18_940_625.0, places=2)

    def test_the_measurement_proposes_the_credit_line_which_records_it(self):
        measurement = self._measure()
        measurement.action_confirm()
        action = measurement.with_user(self.risk).action_propose_credit_line()
        line_form = Form(self.env["guarantee.credit.line"].with_user(self.risk).with_context(
            **action["context"]))
        line = line_form.save()
        # 194.0625 万元, as measured
        self.assertEqual(line.measurement_id, measurement)
        self.assertAlmostEqual(line.amount, 1_940_625.0, places=2)
        self.assertEqual(measurement.credit_line_ids, line)
        line.action_confirm()
        with self.assertRaisesExactly(
            UserError,
            r"^SX\d{4}-\d{5} is Confirmed: “Measurement” can no longer be changed\.$",
        ):
            line.write({"measurement_id": False})
        with self.assertRaisesExactly(
            UserError,
            r"^The credit lines SX\d{4}-\d{5} came from this measurement: it stays as they used "
            r"it\.$",
        ):
            measurement.action_reset_draft()
        other = self._company_partner("测试他户有限公司")
        with self.assertRaisesExactly(
            ValidationError,
            r"^The measurement CS\d{4}-\d{5} is of another customer\.$",
        ):
            self.env["guarantee.credit.line"].create({
                "partner_id": other.id, "company_id": self.company.id,
                "measurement_id": measurement.id, "amount": 100.0, "date_end": "2026-12-31",
            })

    def test_a_measurement_is_born_draft_and_a_copy_measures_again(self):
        """Issue 22, the declared state machine: a measurement is not created confirmed or
        with its figures typed in; a copy of a confirmed one starts draft, measured again by
        its new author; confirming and resetting stay its only moves."""
        with self.assertRaisesExactly(
            UserError,
            r"^A Credit-Line Measurement is created Draft; it becomes Confirmed only through "
            r"its actions\.$",
        ):
            self.env["guarantee.credit.measurement"].sudo().create({
                "partner_id": self.customer_dd.id, "company_id": self.company.id,
                "statement_id": self.second.id, "state": "confirmed",
            })
        measurement = self._measure()
        measurement.with_user(self.pm_a).action_confirm()
        self.assertEqual(measurement.state, "confirmed")
        with self.assertRaisesExactly(
            UserError,
            r"^A Credit-Line Measurement is created Draft; it becomes Confirmed only through "
            r"its actions\.$",
        ):
            measurement.copy({"state": "confirmed"})
        copy = measurement.with_env(self.env).copy()
        self.assertEqual((copy.state, copy.user_id), ("draft", self.env.user))
        self.assertNotEqual(measurement.user_id, self.env.user)
        self.assertAlmostEqual(copy.working_capital_need, 18_940_625.0, places=2)
        measurement.with_user(self.pm_a).action_reset_draft()
        self.assertEqual(measurement.state, "draft")
