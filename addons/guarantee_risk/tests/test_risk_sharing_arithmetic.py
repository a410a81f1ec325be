from odoo.tests import BaseCase, tagged

from ..tools import risk_sharing


@tagged("at_install")
class TestRiskSharingArithmetic(BaseCase):
    """The risk-sharing arithmetic as pure functions, amounts computed by hand."""

    def test_4_3_2_1_leaves_the_company_40_percent(self):
        self.assertEqual(risk_sharing.own_share([30, 20, 10]), 40.0)
        self.assertEqual(risk_sharing.own_share([]), 100.0)

    def test_shares_of_100_percent_or_more_are_refused(self):
        with self.assertRaisesRegex(ValueError, "no own share"):
            risk_sharing.own_share([50, 30, 20])
        with self.assertRaisesRegex(ValueError, "negative"):
            risk_sharing.own_share([-10])

    def test_claim_on_principal_only_ignores_the_interest(self):
        # 30% of ¥8,000,000 principal; the ¥200,000 interest is not claimed
        self.assertEqual(risk_sharing.claim_amounts(8_000_000, 200_000, 30, "principal"),
                         (2_400_000.0, 0.0, 2_400_000.0, False))

    def test_claim_on_principal_and_interest(self):
        # 20% × 8,000,000 = 1,600,000; 20% × 200,000 = 40,000
        self.assertEqual(
            risk_sharing.claim_amounts(8_000_000, 200_000, 20, "principal_interest"),
            (1_600_000.0, 40_000.0, 1_640_000.0, False))

    def test_claim_above_the_annual_cap_is_cut_interest_first(self):
        # 1,640,000 asked, 1,610,000 left under the cap: interest 40,000 -> 10,000
        self.assertEqual(
            risk_sharing.claim_amounts(8_000_000, 200_000, 20, "principal_interest",
                                       cap_left=1_610_000),
            (1_600_000.0, 10_000.0, 1_610_000.0, True))
        # only 1,000,000 left: no interest, principal 1,000,000
        self.assertEqual(
            risk_sharing.claim_amounts(8_000_000, 200_000, 20, "principal_interest",
                                       cap_left=1_000_000),
            (1_000_000.0, 0.0, 1_000_000.0, True))

    def test_claim_rounds_to_the_fen_half_up(self):
        # 30% of 0.05 = 0.015 -> 0.02
        self.assertEqual(risk_sharing.claim_amounts(0.05, 0, 30, "principal")[2], 0.02)

    def test_recovery_shared_back_by_share_within_what_each_paid(self):
        # ¥3,000,000 recovered: re-guarantor 30% = 900,000, bank 20% = 600,000;
        # the company keeps 1,500,000
        parts, own = risk_sharing.shared_back(
            3_000_000, [("reg", 30, 2_400_000), ("bank", 20, 1_640_000)])
        self.assertEqual(parts, {"reg": 900_000.0, "bank": 600_000.0})
        self.assertEqual(own, 1_500_000.0)

    def test_a_party_never_gets_back_more_than_it_paid(self):
        # 30% of 3,000,000 = 900,000, but it paid 500,000 only
        parts, own = risk_sharing.shared_back(3_000_000, [("reg", 30, 500_000)])
        self.assertEqual(parts, {"reg": 500_000.0})
        self.assertEqual(own, 2_500_000.0)

    def test_customer_at_exactly_the_cap_is_covered_one_fen_above_is_not(self):
        args = {"product_ok": True, "scale_ok": True, "quota_used": 0, "quota": 0,
                "in_dates": True, "customer_cap": 10_000_000}
        self.assertEqual(risk_sharing.eligibility(customer_total=10_000_000, **args), [])
        self.assertEqual(risk_sharing.eligibility(customer_total=10_000_000.01, **args),
                         [risk_sharing.ABOVE_CUSTOMER_CAP])

    def test_every_reason_is_given(self):
        self.assertEqual(
            risk_sharing.eligibility(False, False, 2, 1, 2, 1, False),
            [risk_sharing.NOT_PRODUCT, risk_sharing.NOT_SCALE,
             risk_sharing.ABOVE_CUSTOMER_CAP, risk_sharing.ABOVE_QUOTA,
             risk_sharing.OUT_OF_DATES])

    def test_fee_on_the_covered_part(self):
        # 0.5% of 30% of ¥10,000,000 = 15,000
        self.assertEqual(risk_sharing.fee_amount(10_000_000, 30, 0.5), 15_000.0)
