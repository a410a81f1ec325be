from decimal import ROUND_HALF_UP, Decimal

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import GuaranteeReportingCase

D = Decimal


def rate(numerator, denominator):
    return (D(numerator) / D(denominator)).quantize(D("0.000001"), rounding=ROUND_HALF_UP)


@tagged("post_install", "-at_install")
class TestFiguresGolden(GuaranteeReportingCase):
    """Every figure of the fixed portfolio, worked out by hand."""

    def test_past_date_reads_the_snapshot_with_the_project_released_since(self):
        pos = self.figures().position(self.d0, manager_id=self.pm_gold.id)
        self.assertEqual(pos["snapshot_date"], self.d0)
        self.assertEqual(pos["count"], 8)  # A B C D E F R K; N came later
        # 3,000,000 + 4,000,000 × 50% + 10,000,000 + 1,000,000 + 500,000 + 1,234,567.89
        # + 2,000,000 (R, released since) + 1,500,000 (K, compensated since)
        self.assertEqual(pos["balance"], D("21234567.89"))
        self.assertEqual(pos["non_financing_balance"], D("500000.00"))
        self.assertEqual(pos["financing_balance"], D("20734567.89"))
        # A 75% 2,250,000 + B 2,000,000 + C (AA bond) 80% 8,000,000 + D housing 30% 300,000
        # + F 75% of 1,234,567.89 = 925,925.9175 → 925,925.92 + R 2,000,000 + K 1,500,000
        self.assertEqual(pos["liability_balance"], D("16975925.92"))
        self.assertEqual(pos["npl_balance"], D("2000000.00"))
        self.assertEqual(pos["npl_rate"], rate("2000000", "21234567.89"))
        self.assertEqual(pos["net_assets"], D("100000000.00"))
        self.assertEqual(pos["leverage"], D("0.169759"))
        weights = pos["by_weight"]
        self.assertEqual(weights["loan_75"]["balance"], D("4234567.89"))
        self.assertEqual(weights["loan_75"]["liability_balance"], D("3175925.92"))
        self.assertEqual(weights["loan_100"]["balance"], D("5500000.00"))
        self.assertEqual(weights["loan_100"]["liability_balance"], D("5500000.00"))
        self.assertEqual(weights["bond_80"]["liability_balance"], D("8000000.00"))
        self.assertEqual(weights["bond_100"]["count"], 0)
        self.assertEqual(weights["housing_30"]["liability_balance"], D("300000.00"))
        self.assertEqual(
            sum(w["liability_balance"] for w in weights.values()), pos["liability_balance"]
        )
        top = [(p["partner_id"], p["liability_balance"]) for p in pos["top_parties"]]
        self.assertEqual(top, [
            (self.c.partner_id.id, D("8000000.00")),
            (self.a.partner_id.id, D("2250000.00")),
            (self.b.partner_id.id, D("2000000.00")),  # tie with R: the older partner first
            (self.r.partner_id.id, D("2000000.00")),
            (self.k.partner_id.id, D("1500000.00")),
            (self.f.partner_id.id, D("925925.92")),
            (self.d.partner_id.id, D("300000.00")),
        ])
        self.assertEqual(pos["top_parties"][0]["share"], D("0.080000"))
        self.assertEqual(len(pos["top_groups"]), 1)
        self.assertEqual(pos["top_groups"][0]["group_id"], self.group.id)
        self.assertEqual(pos["top_groups"][0]["liability_balance"], D("2925925.92"))
        self.assertEqual(pos["top_groups"][0]["share"], D("0.029259"))
        limits = {limit["key"]: limit for limit in pos["limits"]}
        self.assertEqual(limits["leverage"]["cap"], D("1000000000.00"))  # 10 × net assets
        self.assertEqual(limits["leverage"]["headroom"], D("983024074.08"))
        self.assertEqual(limits["party"]["headroom"], D("2000000.00"))  # 10% − 8,000,000
        self.assertEqual(limits["group"]["headroom"], D("12074074.08"))  # 15% − 2,925,925.92

    def test_today_counts_only_what_is_in_force_now(self):
        pos = self.figures().position(self.today, manager_id=self.pm_gold.id)
        self.assertIsNone(pos["snapshot_date"])
        self.assertEqual(pos["count"], 7)  # R released, K compensated, N new
        # 21,234,567.89 − 2,000,000 − 1,500,000 + 800,000
        self.assertEqual(pos["balance"], D("18534567.89"))
        # 16,975,925.92 − 2,000,000 − 1,500,000 + 600,000 (N: 75%)
        self.assertEqual(pos["liability_balance"], D("14075925.92"))
        self.assertEqual(pos["leverage"], D("0.140759"))

    def test_period_flows_and_rates(self):
        per = self.figures().period(self.date_from, self.date_to, manager_id=self.pm_gold.id)
        self.assertEqual((per["new_count"], per["new"]), (1, D("800000.00")))
        self.assertEqual((per["released_count"], per["released"]), (1, D("2000000.00")))
        self.assertEqual((per["compensation_count"], per["compensation"]),
                         (1, D("1020000.00")))
        self.assertEqual(per["compensation_rate"], D("0.510000"))  # 1,020,000 / 2,000,000
        self.assertEqual(per["recovery"], D("300000.00"))
        self.assertEqual(per["loss"], D("100000.00"))
        self.assertEqual(per["recovery_rate"], rate(300_000, 1_020_000))
        self.assertEqual(per["recovery_rate"], D("0.294118"))
        self.assertEqual(per["loss_rate"], D("0.098039"))
        self.assertEqual(per["fees_due"], D("75000.50"))
        self.assertEqual(per["fees_collected"], D("45000.00"))
        self.assertEqual(per["fee_collection_rate"], D("0.599996"))
        self.assertEqual((per["overdue_fee_count"], per["overdue_fees"]), (1, D("30000.50")))
        self.assertEqual(per["acceptance_to_activation_days"], D("6.00"))
        self.assertEqual(per["cycle_days"]["active"], {"count": 1, "days": D("2.50")})

    def test_previous_period_saw_none_of_it(self):
        before_from, before_to = self.env["guarantee.report.figures"].month_bounds(self.d0)
        per = self.figures().period(before_from, before_to, manager_id=self.pm_gold.id)
        self.assertEqual((per["new"], per["released"], per["compensation"]),
                         (D("0.00"), D("0.00"), D("0.00")))
        self.assertIsNone(per["compensation_rate"])
        self.assertIsNone(per["recovery_rate"])

    def test_product_filter_keeps_the_bond_only(self):
        pos = self.figures().position(self.d0, product_id=self.bond_product.id)
        self.assertEqual((pos["count"], pos["balance"]), (1, D("10000000.00")))

    def test_project_manager_sees_only_own_figures(self):
        mine = self.figures(self.pm_gold).position(self.d0)
        self.assertEqual(mine["balance"], D("21234567.89"))
        other = self.figures(self.pm_a).position(self.d0)
        self.assertNotIn(self.c.partner_id.id, [p["partner_id"] for p in other["top_parties"]])
        with self.assertRaisesExactly(AccessError, "A project manager sees only their own figures"):
            self.figures(self.pm_a).position(self.d0, manager_id=self.pm_gold.id)
        with self.assertRaisesExactly(
            AccessError, "Only guarantee staff may read the reported figures"
        ):
            self.figures(self.committee).position(self.d0)

    def test_a_period_ending_before_it_starts_is_refused(self):
        with self.assertRaisesExactly(UserError, "The period starts after it ends"):
            self.figures().period(self.date_to, self.date_from)

    def test_figures_agree_with_the_regulatory_engine(self):
        """The whole company today (demo projects included), as the approval gate sees it."""
        candidate = self._create_project(amount=1, manager_id=self.pm_gold.id)
        engine = self.env["guarantee.regulatory.engine"].evaluate(candidate)
        pos = self.figures().position(self.today)
        self.assertEqual(pos["liability_balance"], D(repr(engine["before"]["liability"])))
        self.assertEqual(pos["net_assets"], D("100000000.00"))
        self.assertAlmostEqual(float(pos["leverage"]), engine["before"]["leverage"], places=6)
        # The same figures from a snapshot of today's data read back for yesterday
        self.env["guarantee.balance.snapshot"]._take_snapshot(self.d0)
        past = self.figures().position(self.d0)
        self.assertEqual(past["liability_balance"], pos["liability_balance"])
        self.assertEqual(past["top_parties"], pos["top_parties"])

    def test_analysis_views_tie_to_the_figures(self):
        Position = self.env["guarantee.report.position"].with_user(self.executive)
        groups = Position._read_group(
            [("date", "=", self.d0), ("manager_id", "=", self.pm_gold.id)],
            ["weight_category"], ["balance:sum", "liability_balance:sum"],
        )
        by_category = {key: (D(repr(b)), D(repr(lb))) for key, b, lb in groups}
        self.assertEqual(by_category["loan_75"], (D("4234567.89"), D("3175925.92")))
        self.assertEqual(by_category["non_financing"][0], D("500000.0"))
        Flow = self.env["guarantee.report.flow"].with_user(self.executive)
        flows = dict(Flow._read_group(
            [("date", ">=", self.date_from), ("date", "<=", self.date_to),
             ("manager_id", "=", self.pm_gold.id)],
            ["kind"], ["amount:sum"],
        ))
        self.assertEqual(flows, {"new": 800000.0, "released": 2000000.0,
                                 "compensation": 1020000.0, "recovery": 300000.0,
                                 "loss": 100000.0})
        pm_rows = Position.with_user(self.pm_a).search([("date", "=", self.d0)])
        self.assertNotIn(self.pm_gold, pm_rows.manager_id)
