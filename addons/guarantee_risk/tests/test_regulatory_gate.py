from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import RiskCase


@tagged("at_install")
class TestRegulatoryGate(RiskCase):
    """The gate counts what is approved and contracted as well as what is in force, checks
    again at activation, and ties an override to the figures it was given for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"guarantee_net_assets": 100_000_000})
        cls.borrower = cls._company_partner("管线测试中型企业", "medium")
        cls.engine = cls.env["guarantee.regulatory.engine"]

    def _approve(self, project):
        self._complete_documents(project)
        project.with_user(self.executive).action_approve()

    def _approve_error(self, project):
        self._complete_documents(project)
        with self.assertRaisesExactly(UserError, "This step cannot be taken:") as error:
            project.with_user(self.executive).action_approve()
        return str(error.exception)

    def _activate(self, project, amount):
        project.with_user(self.pm_a).action_activate(release_date="2026-01-05", amount=amount)

    def _override(self, project, reason="董事会决议同意"):
        wizard = (
            self.env["guarantee.limit.override.wizard"]
            .with_user(self.executive)
            .create({"project_id": project.id, "reason": reason})
        )
        wizard.action_confirm()

    # ------------------------------------------------------------------ pipeline

    def test_pipeline_two_8m_projects_of_one_borrower_second_approval_refused(self):
        """Golden case: net assets ¥100m, one borrower (100% weight), two ¥8m projects.
        Approved one after the other each saw 8%; the first is now a commitment, so the
        second would bring the borrower to 16%."""
        first = self._in_review(self.borrower, 8_000_000)
        second = self._in_review(self.borrower, 8_000_000)
        self.assertAlmostEqual(second.limit_party_pct_after, 8.0)
        self._approve(first)
        self.assertEqual(first.state, "approved")
        self.assertAlmostEqual(second.limit_party_pct_before, 8.0)
        self.assertAlmostEqual(second.limit_party_pct_after, 16.0)
        message = self._approve_error(second)
        self.assertIn("16.00%", message)
        self.assertIn("¥16,000,000.00", message)
        self.assertIn("¥10,000,000.00", message)
        self.assertEqual(second.state, "reviewing")

    def test_pipeline_contracted_project_counts_as_commitment_too(self):
        first = self._in_review(self.borrower, 8_000_000)
        self._approve(first)
        first._do_transition("contract")
        second = self._in_review(self.borrower, 8_000_000)
        self.assertIn("16.00%", self._approve_error(second))

    def test_commitment_counts_own_share(self):
        # 8,000,000 at 50% commits 4,000,000: a second 6,000,000 reaches exactly 10%
        first = self._in_review(self.borrower, 8_000_000, own_share=50)
        self._approve(first)
        second = self._in_review(self.borrower, 6_000_000)
        self._approve(second)
        self.assertEqual(second.state, "approved")

    def test_activation_checks_the_limits_again(self):
        """Net assets fell after approval (a loss): ¥8m is now 11.43% of ¥70m, so the
        project cannot go into force without a new decision."""
        project = self._in_review(self.borrower, 8_000_000)
        self._approve(project)
        project._do_transition("contract")
        self.company.guarantee_net_assets = 70_000_000
        with self.assertRaisesExactly(
            UserError, r"The liability balance of 管线测试中型企业 after approval, ¥8,000,000\.00"
        ) as error:
            self._activate(project, 8_000_000)
        self.assertIn("11.43%", str(error.exception))
        self.assertEqual(project.state, "contracted")
        self.assertFalse(project.loan_release_date)

    def test_activation_within_the_limits_moves_the_commitment_into_force(self):
        project = self._in_review(self.borrower, 8_000_000)
        self._approve(project)
        project._do_transition("contract")
        self._activate(project, 8_000_000)
        self.assertEqual(project.state, "active")
        # in force now, and not counted twice
        candidate = self._in_review(self.borrower, 2_000_000)
        figures = self.engine.evaluate(candidate)
        self.assertAlmostEqual(figures["before"]["party"], 8_000_000)
        self.assertAlmostEqual(figures["after"]["party"], 10_000_000)
        self.assertFalse(figures["breaches"])

    # ------------------------------------------------------------------ overrides

    def test_override_covers_only_the_figures_it_was_given_for(self):
        project = self._in_review(self.borrower, 11_000_000)
        self._complete_documents(project)
        self._override(project)
        self.assertEqual(project.state, "approved")
        override = project.limit_override_ids
        self.assertAlmostEqual(override.party_after, 11_000_000)
        self.assertAlmostEqual(override.net_assets, 100_000_000)
        project._do_transition("contract")
        # meanwhile another guarantee of the borrower went into force: 12% now
        self._in_force(self.borrower, 1_000_000)
        with self.assertRaisesExactly(
            UserError, r"The liability balance of 管线测试中型企业 after approval, ¥12,000,000\.00"
        ) as error:
            self._activate(project, 11_000_000)
        self.assertIn("decide again", str(error.exception))
        self.assertIn("12.00%", str(error.exception))
        self.assertEqual(project.state, "contracted")
        # a new decision on the new figures lets it go into force
        self._override(project, "董事会再次决议同意")
        self._activate(project, 11_000_000)
        self.assertEqual(project.state, "active")
        self.assertEqual(len(project.limit_override_ids), 2)

    def test_override_figures_come_from_the_server_not_the_caller(self):
        project = self._in_review(self.borrower, 11_000_000)
        override = (
            self.env["guarantee.limit.override"]
            .with_user(self.executive)
            .create(
                {
                    "project_id": project.id,
                    "reason": "越权尝试",
                    "party_after": 1e12,
                    "liability_after": 1e12,
                    "group_after": 1e12,
                    "net_assets": 0,
                }
            )
        )
        self.assertAlmostEqual(override.party_after, 11_000_000)
        self.assertAlmostEqual(override.net_assets, 100_000_000)

    # ------------------------------------------------------------------ settings

    def test_settings_accept_only_caps_as_strict_as_the_law(self):
        with self.assertRaisesExactly(
            ValidationError, "The concentration limits may only be as strict as the law or stricter"
        ):
            self.company.guarantee_single_party_limit = 12
        with self.assertRaisesExactly(
            ValidationError, "The concentration limits may only be as strict as the law or stricter"
        ):
            self.company.guarantee_group_limit = 15.01
        self.company.write({"guarantee_single_party_limit": 8, "guarantee_group_limit": 12})
        project = self._in_review(self.borrower, 9_000_000)
        self.assertIn("9.00%", self._approve_error(project))

    # ------------------------------------------------------------------ currencies

    def test_foreign_currency_project_is_converted_at_the_company_rate(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        # 1 CNY = 0.125 USD: 1,000,000 USD is 8,000,000 CNY
        self.env["res.currency.rate"].create(
            {
                "currency_id": usd.id,
                "company_id": self.company.id,
                "rate": 0.125,
                "name": "2026-01-01",
            }
        )
        project = self._in_review(self.borrower, 1_000_000, currency_id=usd.id)
        figures = self.engine.evaluate(project)
        self.assertAlmostEqual(figures["after"]["party"], 8_000_000)
        self._approve(project)
        ledger = self.env["guarantee.exposure"].search(
            [("partner_id", "=", self.borrower.id), ("company_id", "=", self.company.id)]
        )
        self.assertAlmostEqual(ledger.commitments, 8_000_000)
        second = self._in_review(self.borrower, 2_500_000)
        self.assertIn("10.50%", self._approve_error(second))

    def test_foreign_currency_project_without_a_rate_is_refused(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].search([("currency_id", "=", eur.id)]).unlink()
        project = self._in_review(self.borrower, 1_000, currency_id=eur.id)
        message = self._approve_error(project)
        self.assertIn("EUR", message)
        self.assertIn("exchange rate", message)
        self.assertEqual(project.state, "reviewing")
