from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import RiskCase


@tagged("at_install")
class TestRegulatoryLimits(RiskCase):
    """A small portfolio whose liability balance is worked out by hand:

    ===  =============================================  ============  ======  ============
    key  borrower, guarantee                            balance       weight  liability
    ===  =============================================  ============  ======  ============
    A    small firm, 2 loans 3,000,000 + 2,000,000     5,000,000     75%     3,750,000
    B    micro firm, 1 loan                             5,000,001     100%    5,000,001
    C    farm household, 1 loan                         2,000,000     75%     1,500,000
    D    farm household, 1 loan                         2,000,001     100%    2,000,001
    E    bond, issuer AA                                10,000,000    80%     8,000,000
    F    bond, issuer AA-                               10,000,000    100%    10,000,000
    G    small firm, loan 8,000,000 at own share 50%   4,000,000     75%     3,000,000
    H    housing                                        1,000,000     30%     300,000
    I    non-financing (performance bond)               5,000,000     —       0
    J    medium firm, other financing                   2,000,000     100%    2,000,000
    ===  =============================================  ============  ======  ============
    total financing liability balance                                        35,550,002

    A, E and J form one related-party group: 3,750,000 + 8,000,000 + 2,000,000 = 13,750,000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group = cls.env["guarantee.related.group"].create(
            {"name": "测试关联方组", "company_id": cls.company.id}
        )
        p = cls.p = {
            "A": cls._company_partner("甲小型企业", "small", related_group_id=cls.group.id),
            "B": cls._company_partner("乙微型企业", "micro"),
            "C": cls._farm_household("丙农户"),
            "D": cls._farm_household("丁农户"),
            "E": cls._company_partner("戊债券发行人", "large", related_group_id=cls.group.id),
            "F": cls._company_partner("己债券发行人", "large"),
            "G": cls._company_partner("庚小型企业", "small"),
            "H": cls._company_partner("辛购房人", "micro"),
            "I": cls._company_partner("壬建筑公司", "medium"),
            "J": cls._company_partner("癸中型企业", "medium", related_group_id=cls.group.id),
            "K": cls._company_partner("控股股东集团", "large"),
        }
        cls.a1 = cls._in_force(p["A"], 3_000_000)
        cls.a2 = cls._in_force(p["A"], 2_000_000)
        cls.b1 = cls._in_force(p["B"], 5_000_001)
        cls.c1 = cls._in_force(p["C"], 2_000_000)
        cls.d1 = cls._in_force(p["D"], 2_000_001)
        cls.e1 = cls._in_force(p["E"], 10_000_000, "bond", issuer_rating="AA")
        cls.f1 = cls._in_force(p["F"], 10_000_000, "bond", issuer_rating="AA-")
        cls.g1 = cls._in_force(p["G"], 8_000_000, own_share=50)
        cls.h1 = cls._in_force(p["H"], 1_000_000, "housing")
        cls.i1 = cls._in_force(p["I"], 5_000_000, "non_financing")
        cls.j1 = cls._in_force(p["J"], 2_000_000, "other_financing")
        cls.company.write({"guarantee_net_assets": 100_000_000})
        cls.engine = cls.env["guarantee.regulatory.engine"]

    def _approve_error(self, project, user=None):
        with self.assertRaisesExactly(UserError, "This step cannot be taken:") as error:
            project.with_user(user or self.executive).action_approve()
        return str(error.exception)

    # ------------------------------------------------------------------ liability balance

    def test_portfolio_liability_balance_matches_the_hand_computation(self):
        candidate = self._project(self.p["J"], 1)
        figures = self.engine.evaluate(candidate)
        self.assertAlmostEqual(figures["before"]["liability"], 35_550_002, places=2)
        self.assertAlmostEqual(figures["before"]["leverage"], 0.35550002)

    def test_project_liability_balance_is_stored_with_its_weight(self):
        expected = {
            self.a1: 2_250_000,
            self.a2: 1_500_000,
            self.b1: 5_000_001,
            self.c1: 1_500_000,
            self.d1: 2_000_001,
            self.e1: 8_000_000,
            self.f1: 10_000_000,
            self.g1: 3_000_000,
            self.h1: 300_000,
            self.i1: 0,
            self.j1: 2_000_000,
        }
        for project, liability in expected.items():
            self.assertAlmostEqual(
                project.liability_balance, liability, places=2, msg=project.partner_id.name
            )

    def test_borrower_at_exactly_5m_is_weighted_75_percent_one_yuan_more_is_100(self):
        self.assertAlmostEqual(self.a1.liability_balance, 2_250_000)
        self._in_force(self.p["A"], 1)
        # A now owes 5,000,001 in total: every loan of A is weighted 100%
        self.assertAlmostEqual(self.a1.liability_balance, 3_000_000)
        self.assertAlmostEqual(self.a2.liability_balance, 2_000_000)

    def test_own_share_below_100_percent_is_applied_before_the_threshold(self):
        # 8,000,000 guaranteed at 50%: a 4,000,000 balance, under 5,000,000, so 75%
        self.assertAlmostEqual(self.g1.balance, 4_000_000)
        self.assertAlmostEqual(self.g1.liability_balance, 3_000_000)

    # ------------------------------------------------------------------ before/after

    def test_project_shows_liability_and_leverage_before_and_after(self):
        project = self._in_review(self.p["B"], 4_000_000)
        self.assertAlmostEqual(project.limit_liability_before, 35_550_002)
        self.assertAlmostEqual(project.limit_liability_after, 39_550_002)
        self.assertAlmostEqual(project.limit_leverage_before, 0.36, places=2)
        self.assertAlmostEqual(project.limit_leverage_after, 0.40, places=2)
        self.assertAlmostEqual(project.limit_party_pct_before, 5.000001, places=4)
        self.assertAlmostEqual(project.limit_party_pct_after, 9.000001, places=4)
        self.assertFalse(project.limit_breaches)

    def test_new_loan_pushing_a_small_borrower_over_5m_reweights_its_whole_balance(self):
        # A at 5,000,000 (75%: 3,750,000) + 1 yuan: 5,000,001 at 100%
        project = self._in_review(self.p["A"], 1)
        figures = self.engine.evaluate(project)
        self.assertAlmostEqual(figures["after"]["party"], 5_000_001)
        self.assertAlmostEqual(figures["after"]["liability"], 35_550_002 - 3_750_000 + 5_000_001)

    def test_non_financing_project_leaves_the_liability_balance_unchanged(self):
        project = self._in_review(self.p["I"], 50_000_000, "non_financing")
        figures = self.engine.evaluate(project)
        self.assertEqual(figures["after"]["liability"], figures["before"]["liability"])
        self.assertFalse(figures["breaches"])

    # ------------------------------------------------------------------ refusals at approval

    def test_approval_beyond_leverage_is_refused_with_the_figures(self):
        self.company.guarantee_net_assets = 4_000_000
        # 35,550,002 + 5,000,000 = 40,550,002 / 4,000,000 = 10.14 > 10
        project = self._in_review(self.p["J"], 5_000_000, "other_financing")
        message = self._approve_error(project)
        self.assertIn("10.14", message)
        self.assertIn("¥40,550,002.00", message)
        self.assertIn("¥4,000,000.00", message)
        self.assertIn("8.89", message)  # before
        self.assertEqual(project.state, "reviewing")

    def test_leverage_limit_is_15_for_a_company_mainly_serving_small_micro(self):
        self.company.write(
            {"guarantee_net_assets": 4_000_000, "guarantee_mainly_small_micro": True}
        )
        project = self._in_review(self.p["J"], 5_000_000, "other_financing")
        breaches = self.engine.evaluate(project)["breaches"]
        self.assertFalse([b for b in breaches if "Leverage" in b])

    def test_single_party_beyond_10_percent_is_refused_with_the_figures(self):
        # F: 10,000,000 (AA-, 100%) + 1,000,000 = 11,000,000 = 11% of 100,000,000
        project = self._in_review(self.p["F"], 1_000_000, "bond", issuer_rating="AA-")
        message = self._approve_error(project)
        self.assertIn("¥11,000,000.00", message)
        self.assertIn("11.00%", message)
        self.assertIn("¥10,000,000.00", message)

    def test_single_party_at_exactly_10_percent_is_allowed(self):
        # a new issuer: 12,500,000 × 80% = 10,000,000 = 10% exactly
        issuer = self._company_partner("子债券发行人", "large")
        project = self._in_review(issuer, 12_500_000, "bond", issuer_rating="AA")
        figures = self.engine.evaluate(project)
        self.assertAlmostEqual(figures["after"]["party"], 10_000_000)
        self.assertFalse(figures["breaches"])
        self.assertFalse(project._limit_blockers())

    def test_related_group_beyond_15_percent_is_refused_with_the_figures(self):
        # group 13,750,000 + 1,500,000 = 15,250,000 = 15.25% > 15%
        project = self._in_review(self.p["J"], 1_500_000, "other_financing")
        message = self._approve_error(project)
        self.assertIn("测试关联方组", message)
        self.assertIn("¥15,250,000.00", message)
        self.assertIn("15.25%", message)
        self.assertIn("¥15,000,000.00", message)

    def test_controlling_shareholder_cannot_be_guaranteed(self):
        self.company.guarantee_controller_partner_ids = self.p["K"]
        project = self._in_review(self.p["K"], 100_000, "non_financing")
        message = self._approve_error(project)
        self.assertIn("控股股东集团", message)
        self.assertIn("controlling shareholder", message)

    def test_the_check_follows_a_change_of_the_company_settings(self):
        """The limit settings are cached per worker: a write of them is seen by the next
        check."""
        project = self._in_review(self.p["C"], 100_000, "loan")
        figures = self.engine.evaluate(project)
        self.assertEqual(figures["party_limit_pct"], 10.0)
        self.assertFalse(figures["bans"])
        self.company.write(
            {
                "guarantee_single_party_limit": 5.0,
                "guarantee_controller_partner_ids": [(4, self.p["C"].id)],
            }
        )
        figures = self.engine.evaluate(project)
        self.assertEqual(figures["party_limit_pct"], 5.0)
        self.assertEqual(len(figures["bans"]), 1)

    def test_the_controller_ban_cannot_be_overridden(self):
        self.company.guarantee_controller_partner_ids = self.p["K"]
        # 11,000,000 is also 11% of net assets: an executive may lift that, not the ban
        project = self._in_review(self.p["K"], 11_000_000, "loan")
        self._complete_documents(project)
        wizard = (
            self.env["guarantee.limit.override.wizard"]
            .with_user(self.executive)
            .create({"project_id": project.id, "reason": "董事长特批"})
        )
        with self.assertRaisesExactly(
            UserError, "控股股东集团 is a controlling shareholder or actual controller of the"
        ) as error:
            wizard.action_confirm()
        self.assertIn("控股股东集团", str(error.exception))
        self.assertEqual(project.state, "reviewing")
        self.assertFalse(project.limit_override_ids)

    def test_financing_approval_is_refused_while_net_assets_are_not_configured(self):
        self.company.guarantee_net_assets = 0
        project = self._in_review(self.p["F"], 1_000, "bond")
        message = self._approve_error(project)
        self.assertIn("net assets", message)
        self.assertIn("¥0.00", message)
        self.assertEqual(project.state, "reviewing")
        # an override cannot lift it: there is nothing to measure against
        self.assertTrue(self.engine.evaluate(project)["bans"])

    def test_non_financing_guarantee_does_not_need_net_assets(self):
        self.company.guarantee_net_assets = 0
        project = self._in_review(self.p["I"], 1_000, "non_financing")
        self.assertFalse(self.engine.evaluate(project)["breaches"])

    def test_negative_equity_in_the_ledger_refuses_financing_approvals(self):
        self.company.guarantee_net_assets_source = "ledger"
        # no posted entries in this company: nothing to lean on, so nothing is approved
        self.assertEqual(self.company._guarantee_net_assets_amount(), 0.0)
        project = self._in_review(self.p["F"], 1_000, "bond")
        self.assertIn("net assets", self._approve_error(project))

    # ------------------------------------------------------------------ override

    def test_executive_override_records_who_when_why_and_approves(self):
        project = self._in_review(self.p["F"], 1_000_000, "bond", issuer_rating="AA-")
        self._complete_documents(project)
        wizard = Form(
            self.env["guarantee.limit.override.wizard"]
            .with_user(self.executive)
            .with_context(default_project_id=project.id)
        )
        self.assertIn("11.00%", wizard.breaches)
        wizard.reason = "省政府重点项目，董事会已决议同意"
        wizard.save().action_confirm()
        self.assertEqual(project.state, "approved")
        override = project.limit_override_ids
        self.assertEqual(override.user_id, self.executive)
        self.assertEqual(override.reason, "省政府重点项目，董事会已决议同意")
        self.assertIn("11.00%", override.breaches)
        self.assertTrue(override.date)

    def test_only_an_executive_can_override(self):
        project = self._in_review(self.p["F"], 1_000_000, "bond", issuer_rating="AA-")
        with self.assertRaisesExactly(
            AccessError, "Only an executive can override a regulatory limit"
        ):
            self.env["guarantee.limit.override"].with_user(self.risk).create(
                {"project_id": project.id, "reason": "试图越权"}
            )
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to create 'Approve Beyond Regulatory Limits'"
        ):
            self.env["guarantee.limit.override.wizard"].with_user(self.pm_a).create(
                {"project_id": project.id, "reason": "试图越权"}
            )
        self.assertFalse(project.limit_override_ids)

    def test_override_without_reason_is_refused(self):
        project = self._in_review(self.p["F"], 1_000_000, "bond", issuer_rating="AA-")
        wizard = (
            self.env["guarantee.limit.override.wizard"]
            .with_user(self.executive)
            .create({"project_id": project.id, "reason": "   "})
        )
        with self.assertRaisesExactly(UserError, "An override needs a reason"):
            wizard.action_confirm()
        self.assertEqual(project.state, "reviewing")

    def test_limits_check_reads_a_handful_of_ledger_rows_in_one_query(self):
        project = self._in_review(self.p["A"], 100_000)
        self.env.flush_all()
        project._borrower_key(), project.partner_id.related_group_id  # the project is open
        with self.assertQueryCount(__system__=1):
            borrower_rows, total, group = self.engine._ledger_rows(project)
        # A's two loans are one ledger row; the totals come from the company and group rows
        self.assertEqual(len(borrower_rows), 1)
        self.assertAlmostEqual(total, 35_550_002)
        self.assertAlmostEqual(group, 13_750_000)

    def test_refusal_message_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["guarantee_risk"], ["zh_CN"], overwrite=True
        )
        project = self._in_review(self.p["F"], 1_000_000, "bond", issuer_rating="AA-")
        with self.assertRaisesExactly(UserError, "无法执行此步骤：") as error:
            project.with_user(self.executive).with_context(lang="zh_CN").action_approve()
        self.assertIn("单一客户", str(error.exception))
