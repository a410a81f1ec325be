import math

from odoo.tests import TransactionCase, tagged

from ..tools import scorecard as engine


@tagged("post_install", "-at_install")
class TestScorecardArithmetic(TransactionCase):
    """Golden figures computed by hand (see each comment)."""

    def test_woe_is_log_of_good_share_over_bad_share(self):
        # 30 of 100 goods and 10 of 50 bads: ln(0.30 / 0.20) = ln 1.5 = 0.405465
        self.assertAlmostEqual(engine.woe(30, 10, 100, 50), 0.405465, places=6)
        # a bin without bads is smoothed with 0.5 bad: ln((20/100) / (0.5/50)) = ln 20
        self.assertAlmostEqual(engine.woe(20, 0, 100, 50), math.log(20), places=9)

    def test_information_value_sums_share_gap_times_woe(self):
        # bins (30 good, 10 bad), (70, 40); G = 100, B = 50:
        # (0.3 - 0.2) × ln 1.5 + (0.7 - 0.8) × ln 0.875 = 0.0405465 + 0.0133531 = 0.0538997
        self.assertAlmostEqual(engine.information_value([(30, 10), (70, 40)]), 0.0538997, places=6)
        # a characteristic that does not separate has no information
        self.assertAlmostEqual(engine.information_value([(20, 10), (80, 40)]), 0.0, places=12)

    def test_points_scaling_600_at_odds_50_doubling_every_20(self):
        factor, offset = engine.scaling(600, 50, 20)
        # factor = 20 / ln 2 = 28.853901; offset = 600 − 28.853901 × ln 50 = 487.122876
        self.assertAlmostEqual(factor, 28.853901, places=6)
        self.assertAlmostEqual(offset, 487.122876, places=6)
        # coef −0.8, WOE 0.5, intercept −1.2, 4 characteristics:
        # −(−0.8 × 0.5 − 1.2 / 4) × 28.853901 + 487.122876 / 4 = 20.197731 + 121.780719
        self.assertEqual(engine.bin_points(-0.8, 0.5, -1.2, 4, factor, offset), 141.98)
        # at the base score the odds are 50:1, so PD = 1/51; 20 points more halve the odds of bad
        self.assertAlmostEqual(engine.score_to_pd(600, factor, offset), 1 / 51, places=9)
        self.assertAlmostEqual(engine.score_to_pd(620, factor, offset), 1 / 101, places=9)

    def test_psi_golden_and_identical_populations(self):
        # expected 50/30/20 %, actual 40/30/30 %:
        # (0.4 − 0.5) ln 0.8 + 0 + (0.3 − 0.2) ln 1.5 = 0.0223144 + 0.0405465 = 0.0628609
        self.assertAlmostEqual(engine.psi([50, 30, 20], [40, 30, 30]), 0.0628609, places=6)
        self.assertEqual(engine.psi([5, 3, 2], [50, 30, 20]), 0.0)

    def test_numeric_bins_are_monotonic_and_missing_has_its_own_bin(self):
        # bad rate rises with the value except a dip in the middle, which monotonic merging removes
        values = [1] * 20 + [2] * 20 + [3] * 20 + [4] * 20 + [None] * 10
        targets = (
            [0] * 18
            + [1] * 2
            + [0] * 12
            + [1] * 8
            + [0] * 14
            + [1] * 6
            + [0] * 8
            + [1] * 12
            + [1] * 5
            + [0] * 5
        )
        bins = engine.make_bins("numeric", values, targets, max_bins=4, min_share=0.05)
        self.assertTrue(bins[-1]["missing"])
        numeric = [b for b in bins if not b["missing"]]
        rates = []
        for item in numeric:
            members = [
                t
                for v, t in zip(values, targets, strict=True)
                if v is not None and engine.bin_index("numeric", bins, v) == bins.index(item)
            ]
            rates.append(sum(members) / len(members))
        self.assertEqual(rates, sorted(rates), "bad rate must not fall as the value rises")
        self.assertLess(len(numeric), 4, "the dip at 3 is merged into its neighbour")
        self.assertEqual(engine.bin_index("numeric", bins, None), len(bins) - 1)

    def test_categorical_groups_keep_every_category_and_unseen_goes_to_missing(self):
        values = ["甲"] * 30 + ["乙"] * 30 + ["丙"] * 30
        targets = [0] * 27 + [1] * 3 + [0] * 20 + [1] * 10 + [0] * 15 + [1] * 15
        bins = engine.make_bins("categorical", values, targets)
        categories = sorted(c for b in bins for c in b["categories"])
        self.assertEqual(categories, sorted(["甲", "乙", "丙"]))
        self.assertEqual(engine.bin_index("categorical", bins, "丁"), len(bins) - 1)

    def test_numbers_read_from_csv_text(self):
        self.assertEqual(engine.to_number(" 1,234.5 "), 1234.5)
        self.assertIsNone(engine.to_number(""))
        self.assertTrue(engine.is_numeric(["1", "", "2.5", None]))
        self.assertFalse(engine.is_numeric(["1", "abc"]))
