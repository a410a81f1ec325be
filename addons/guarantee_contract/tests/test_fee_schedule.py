from datetime import date
from decimal import Decimal

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.guarantee_platform.tools.money import rmb_figures

from ..tools.fee_schedule import fee_amount, fee_schedule, period_days, split_term
from .common import ContractCase


@tagged("at_install")
class TestFeeArithmetic(ContractCase):
    """Pure day-count arithmetic, at the boundaries."""

    def test_a_period_counts_both_its_first_and_last_day(self):
        self.assertEqual(period_days(date(2026, 1, 1), date(2026, 12, 31)), 365)
        self.assertEqual(period_days(date(2026, 3, 31), date(2026, 3, 31)), 1)

    def test_a_common_year_at_365_is_exactly_the_annual_rate(self):
        fee = fee_amount(1000000, 1.5, date(2026, 1, 1), date(2026, 12, 31), "365")
        self.assertEqual(fee, Decimal("15000.00"))

    def test_leap_year_with_29_february_depends_on_the_basis(self):
        start, end = date(2024, 1, 1), date(2024, 12, 31)
        self.assertEqual(period_days(start, end), 366)
        # actual/actual: a whole leap year is one year
        self.assertEqual(fee_amount(1000000, 1.5, start, end, "actual"), Decimal("15000.00"))
        # actual/365: the 29th of February is one day more than a year
        self.assertEqual(fee_amount(1000000, 1.5, start, end, "365"), Decimal("15041.10"))
        # actual/360
        self.assertEqual(fee_amount(1000000, 1.5, start, end, "360"), Decimal("15250.00"))

    def test_term_across_a_leap_day_splits_actual_actual_by_calendar_year(self):
        start, end = date(2023, 7, 1), date(2024, 6, 30)
        # 184 days of 2023 over 365 + 182 days of 2024 (with 29 Feb) over 366
        self.assertEqual(fee_amount(1000000, 1.5, start, end, "actual"), Decimal("15020.66"))
        self.assertEqual(fee_amount(1000000, 1.5, start, end, "365"), Decimal("15041.10"))
        self.assertEqual(
            fee_amount(1000000, 1.5, date(2024, 2, 29), date(2024, 2, 29), "actual"),
            Decimal("40.98"),
        )

    def test_term_ending_on_the_31st_counts_the_31st(self):
        # 1 Dec 2025 – 31 Mar 2026: 31 + 31 + 28 + 31 = 121 days, not 120 (no 30/360)
        self.assertEqual(period_days(date(2025, 12, 1), date(2026, 3, 31)), 121)
        fee = fee_amount(1000000, 1.5, date(2025, 12, 1), date(2026, 3, 31), "360")
        self.assertEqual(fee, Decimal("5041.67"))

    def test_quarterly_instalments_end_on_the_month_ends(self):
        periods = split_term(date(2026, 1, 1), date(2026, 12, 31), 4)
        self.assertEqual(
            [end for _start, end in periods],
            [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)],
        )
        self.assertEqual([period_days(*p) for p in periods], [90, 91, 92, 92])

    def test_instalments_sum_exactly_to_the_total_with_the_remainder_last(self):
        start, end = date(2026, 1, 1), date(2026, 12, 31)
        lines = fee_schedule(3333333, 1.3, start, end, "actual", instalments=12)
        total = fee_amount(3333333, 1.3, start, end, "actual")
        self.assertEqual(total, Decimal("43333.33"))
        self.assertEqual(sum(amount for _f, _t, amount in lines), total)
        # each month is its own fee rounded to the fen; December takes the 5 fen left over
        own_last = fee_amount(3333333, 1.3, lines[-1][0], lines[-1][1], "actual")
        self.assertEqual(own_last, Decimal("3680.36"))
        self.assertEqual(lines[-1][2], Decimal("3680.41"))
        self.assertEqual(lines[0][2], fee_amount(3333333, 1.3, start, date(2026, 1, 31), "actual"))

    def test_amounts_in_figures_are_rounded_to_the_fen_with_separators(self):
        self.assertEqual(rmb_figures(10000000), "¥10,000,000.00")
        self.assertEqual(rmb_figures(1050000.5), "¥1,050,000.50")
        self.assertEqual(rmb_figures(0.07), "¥0.07")
        self.assertEqual(rmb_figures(0.005), "¥0.01")

    def test_more_instalments_than_days_is_refused(self):
        with self.assertRaises(ValueError):
            split_term(date(2026, 1, 1), date(2026, 1, 31), 2)


@tagged("at_install")
class TestFeeSchedule(ContractCase):
    """The schedule on the project, and who may do what with it."""

    def test_upfront_schedule_is_one_line_due_at_the_start(self):
        project = self._approved_project(fee_rate=1.5, date_start="2026-01-01")
        project.with_user(self.finance).action_generate_fee_schedule()
        self.assertEqual(len(project.fee_ids), 1)
        fee = project.fee_ids
        self.assertTrue(fee.is_upfront)
        self.assertEqual(fee.date_due, date(2026, 1, 1))
        self.assertEqual(fee.date_to, date(2026, 12, 31))
        self.assertEqual(fee.amount, 15000.0)
        self.assertEqual(project.fee_total, 15000.0)

    def test_instalments_follow_the_company_day_count_and_sum_exactly(self):
        self.env.company.guarantee_fee_day_count = "actual"
        project = self._approved_project(
            amount=3333333, fee_rate=1.3, date_start="2026-01-01",
            fee_schedule_type="instalments", fee_instalments=12,
        )
        project.with_user(self.finance).action_generate_fee_schedule()
        fees = project.fee_ids.sorted("sequence")
        self.assertEqual(len(fees), 12)
        self.assertEqual(fees.mapped("is_upfront"), [True] + [False] * 11)
        self.assertAlmostEqual(sum(fees.mapped("amount")), 43333.33, places=2)
        self.assertEqual(project.fee_total, 43333.33)
        self.assertEqual(fees[-1].amount, 3680.41)
        self.assertEqual(fees[-1].date_to, date(2026, 12, 31))

    def test_regenerating_replaces_unpaid_lines_and_is_refused_once_paid(self):
        project = self._approved_project(fee_rate=1.0)
        project.with_user(self.finance).action_generate_fee_schedule()
        project.write({"fee_schedule_type": "instalments", "fee_instalments": 4})
        project.with_user(self.finance).action_generate_fee_schedule()
        self.assertEqual(len(project.fee_ids), 4)
        project.fee_ids[:1].with_user(self.finance).action_mark_paid()
        with self.assertRaisesExactly(
            UserError, "Fees are already paid; adjust the schedule line by line"
        ):
            project.with_user(self.finance).action_generate_fee_schedule()

    def test_more_instalments_than_months_is_refused(self):
        project = self._approved_project(
            term_months=3, fee_schedule_type="instalments", fee_instalments=4
        )
        with self.assertRaisesExactly(
            UserError, "There cannot be more instalments than months in the term"
        ):
            project.action_generate_fee_schedule()
        self.assertFalse(project.fee_ids)

    def test_mark_paid_records_date_and_amount_once(self):
        project = self._approved_project(fee_rate=1.5)
        project.action_generate_fee_schedule()
        fee = project.fee_ids
        fee.with_user(self.finance).action_mark_paid(date=date(2026, 1, 5))
        self.assertEqual(fee.state, "paid")
        self.assertEqual(fee.date_paid, date(2026, 1, 5))
        self.assertEqual(fee.amount_paid, fee.amount)
        self.assertEqual(project.fee_paid, fee.amount)
        with self.assertRaisesExactly(UserError, r"Only a due fee can be marked as paid \("):
            fee.with_user(self.finance).action_mark_paid()
        with self.assertRaisesExactly(
            UserError, r"fee 1 \(due 2026-01-01\) is Paid and can no longer be changed"
        ):
            fee.write({"amount": 1.0})

    def test_project_manager_reads_but_cannot_pay_fees(self):
        project = self._approved_project(fee_rate=1.5)
        project.action_generate_fee_schedule()
        fee = project.fee_ids.with_user(self.pm_a)
        self.assertEqual(fee.amount, 15000.0)
        with self.assertRaisesExactly(
            AccessError, r"You are not allowed to modify 'Guarantee Fee Line' \(guarantee\.fee\)"
        ):
            fee.action_mark_paid()
        self.assertFalse(project.fee_ids.with_user(self.pm_other).search(
            [("project_id", "=", project.id)]
        ))
