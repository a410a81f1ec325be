from odoo.tests import BaseCase, tagged

from ..tools import classification, regulatory


@tagged("at_install")
class TestRegulatoryRules(BaseCase):
    """The weights and limits as pure functions, at their boundaries."""

    def test_small_enterprise_at_exactly_5m_is_weighted_75_percent(self):
        self.assertEqual(regulatory.loan_weight(5_000_000, "small"), 0.75)
        self.assertEqual(regulatory.loan_weight(5_000_000, "micro"), 0.75)

    def test_small_enterprise_one_yuan_above_5m_is_weighted_100_percent(self):
        self.assertEqual(regulatory.loan_weight(5_000_001, "small"), 1.0)
        self.assertEqual(regulatory.loan_weight(5_000_000.01, "micro"), 1.0)

    def test_medium_and_large_enterprises_are_weighted_100_percent(self):
        self.assertEqual(regulatory.loan_weight(100, "medium"), 1.0)
        self.assertEqual(regulatory.loan_weight(100, "large"), 1.0)
        self.assertEqual(regulatory.loan_weight(100, None), 1.0)

    def test_farm_household_at_2m_is_75_percent_one_yuan_above_is_100(self):
        self.assertEqual(regulatory.loan_weight(2_000_000, None, False, True), 0.75)
        self.assertEqual(regulatory.loan_weight(2_000_001, None, False, True), 1.0)

    def test_agricultural_company_is_not_a_farm_household(self):
        # an agricultural small company falls under the ¥5,000,000 small/micro rule
        self.assertEqual(regulatory.loan_weight(3_000_000, "small", True, True), 0.75)
        self.assertEqual(regulatory.loan_weight(3_000_000, "medium", True, True), 1.0)

    def test_bond_rated_aa_is_80_percent_aa_minus_is_100(self):
        self.assertEqual(regulatory.bond_weight("AA"), 0.8)
        self.assertEqual(regulatory.bond_weight("AA+"), 0.8)
        self.assertEqual(regulatory.bond_weight("AAA"), 0.8)
        self.assertEqual(regulatory.bond_weight("AA-"), 1.0)
        self.assertEqual(regulatory.bond_weight(None), 1.0)

    def test_housing_30_percent_other_financing_100_non_financing_excluded(self):
        self.assertEqual(regulatory.liability_weight("housing"), 0.3)
        self.assertEqual(regulatory.liability_weight("other_financing"), 1.0)
        self.assertEqual(regulatory.liability_weight("non_financing"), 0.0)

    def test_leverage_limit_is_10_or_15_for_small_micro_companies(self):
        self.assertEqual(regulatory.leverage_limit(False), 10)
        self.assertEqual(regulatory.leverage_limit(True), 15)
        self.assertAlmostEqual(regulatory.leverage(35_000_000, 3_500_000), 10.0)
        self.assertIsNone(regulatory.leverage(1, 0))

    def test_portfolio_sums_loans_per_borrower_before_weighting(self):
        exposure = regulatory.exposure
        rows = [
            exposure("X", "loan", 3_000_000, enterprise_scale="small"),
            exposure("X", "loan", 2_000_001, enterprise_scale="small"),
            exposure("Y", "loan", 5_000_000, enterprise_scale="small", group=7),
            exposure("Y", "bond", 1_000_000, issuer_rating="AA", group=7),
        ]
        total, by_borrower, by_group = regulatory.portfolio_liability(rows)
        # X: 5,000,001 in total, so 100%; Y: 5,000,000 loans at 75% + bond 800,000
        self.assertEqual(by_borrower["X"], 5_000_001)
        self.assertEqual(by_borrower["Y"], 3_750_000 + 800_000)
        self.assertEqual(by_group, {7: 4_550_000})
        self.assertEqual(total, 9_550_001)

    def test_adding_a_loan_reweighs_only_its_borrower(self):
        exposure = regulatory.exposure
        rows = [
            exposure("X", "loan", 5_000_000, enterprise_scale="small", group=3),
            exposure("Z", "loan", 1_000_000, enterprise_scale="micro", group=3),
        ]
        before = regulatory.portfolio_liability(rows)
        self.assertEqual(before[0], 4_500_000)
        candidate = exposure("X", "loan", 1, enterprise_scale="small", group=3)
        total, party, group = regulatory.add_exposure(before, rows, candidate)
        # X crosses ¥5,000,000: 5,000,001 at 100%; Z unchanged at 750,000
        self.assertEqual(party, 5_000_001)
        self.assertEqual(total, 5_750_001)
        self.assertEqual(group, 5_750_001)

    def test_suggested_class_from_days_overdue_bands(self):
        self.assertEqual(classification.suggested_class(0), "normal")
        self.assertEqual(classification.suggested_class(1), "special")
        self.assertEqual(classification.suggested_class(90), "special")
        self.assertEqual(classification.suggested_class(91), "substandard")
        self.assertEqual(classification.suggested_class(181), "doubtful")
        self.assertEqual(classification.suggested_class(361), "loss")
        bands = {"special": 30, "substandard": 60, "doubtful": 120, "loss": 240}
        self.assertEqual(classification.suggested_class(29, bands), "normal")
        self.assertEqual(classification.suggested_class(60, bands), "substandard")
