from odoo.tests import BaseCase, tagged

from ..tools import (
    compensation_receivable,
    compensation_reserve_provision,
    reserve_difference,
    unearned_premium_reserve,
)


@tagged("at_install")
class TestReserveRules(BaseCase):
    def test_unearned_premium_reserve_is_half_the_fee_income(self):
        self.assertEqual(unearned_premium_reserve(1234567.89, 50), 617283.95)
        self.assertEqual(unearned_premium_reserve(0, 50), 0)
        self.assertEqual(unearned_premium_reserve(-100, 50), 0, "no negative reserve")

    def test_difference_posts_only_what_is_missing_and_releases_the_excess(self):
        self.assertEqual(reserve_difference(500.0, 300.0), 200.0)
        self.assertEqual(reserve_difference(300.0, 300.0), 0.0)
        self.assertEqual(reserve_difference(250.0, 300.0), -50.0)

    def test_compensation_reserve_is_one_percent_of_liability_balance(self):
        self.assertEqual(compensation_reserve_provision(100e6, 1, 10, 0, 0), 1e6)

    def test_compensation_reserve_deducts_what_the_year_already_provisioned(self):
        self.assertEqual(compensation_reserve_provision(100e6, 1, 10, 400000, 0), 600000)
        self.assertEqual(compensation_reserve_provision(100e6, 1, 10, 1e6, 1e6), 0)

    def test_compensation_reserve_tops_up_only_to_the_ten_percent_cap(self):
        self.assertEqual(compensation_reserve_provision(100e6, 1, 10, 0, 9.5e6), 500000)
        self.assertEqual(compensation_reserve_provision(100e6, 1, 10, 0, 10e6), 0,
                         "exactly at the cap: nothing more")
        self.assertEqual(compensation_reserve_provision(100e6, 1, 10, 0, 12e6), 0,
                         "above the cap: never released")

    def test_compensation_reserve_of_no_liability_is_zero(self):
        self.assertEqual(compensation_reserve_provision(0, 1, 10, 0, 0), 0)
        self.assertEqual(compensation_reserve_provision(-5, 1, 10, 0, 0), 0)

    def test_compensation_receivable_is_compensations_less_recoveries_and_losses(self):
        self.assertEqual(compensation_receivable(512000, 200000, 312000), 0)
        self.assertEqual(compensation_receivable(512000, 100000.25, 0), 411999.75)
