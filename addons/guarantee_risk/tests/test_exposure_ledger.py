from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RiskCase


@tagged("at_install")
class TestExposureLedger(RiskCase):
    """The exposure ledger follows every change of balance or state in the same transaction
    and always equals a full recomputation from the projects."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"guarantee_net_assets": 100_000_000})
        cls.Exposure = cls.env["guarantee.exposure"]
        cls.small = cls._company_partner("台账小型企业", "small")
        cls.large = cls._company_partner("台账大型企业", "large")

    def _rows(self, partner):
        return self.Exposure.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def _total(self):
        return self.Exposure.search(
            [("scope", "=", "company"), ("company_id", "=", self.company.id)]
        )

    def assertLedgerMatchesRecomputation(self):
        expected = self.Exposure._expected_rows()
        stored = self.Exposure._stored_rows()
        self.assertEqual(self.Exposure._differences(expected, stored), [])
        total = self._total()
        rows = self.Exposure.search(
            [("scope", "=", "borrower"), ("company_id", "=", self.company.id)]
        )
        for name in ("balance", "liability_balance", "commitments", "liability_committed"):
            self.assertAlmostEqual(total[name], sum(rows.mapped(name)), places=2, msg=name)

    def test_lifecycle_approval_activation_repayment_release(self):
        project = self._in_review(self.small, 4_000_000)
        self.assertFalse(self._rows(self.small))
        self._complete_documents(project)
        project.with_user(self.executive).action_approve()
        row = self._rows(self.small)
        self.assertEqual(row.weight_category, "loan_small_micro")
        self.assertAlmostEqual(row.commitments, 4_000_000)
        self.assertAlmostEqual(row.balance, 0)
        self.assertAlmostEqual(row.liability_committed, 3_000_000)  # 75%: under 5m
        self.assertLedgerMatchesRecomputation()
        project._do_transition("contract")
        project.with_user(self.pm_a).action_activate(release_date="2026-01-05", amount=4_000_000)
        row = self._rows(self.small)
        self.assertAlmostEqual(row.balance, 4_000_000)
        self.assertAlmostEqual(row.commitments, 0)
        self.assertAlmostEqual(row.liability_balance, 3_000_000)
        self.assertLedgerMatchesRecomputation()
        project._record_repayment(1_500_000, "银行还款通知")
        self.assertAlmostEqual(self._rows(self.small).balance, 2_500_000)
        self.assertAlmostEqual(self._total().liability_balance, 1_875_000)
        self.assertLedgerMatchesRecomputation()
        project.action_release(release_date="2026-06-30")
        self.assertFalse(self._rows(self.small))
        self.assertAlmostEqual(self._total().balance, 0)
        self.assertLedgerMatchesRecomputation()

    def test_compensation_takes_the_project_out_of_force(self):
        project = self._in_force(self.large, 3_000_000, "other_financing")
        self.assertAlmostEqual(self._total().liability_balance, 3_000_000)
        project._do_transition("compensate")
        self.assertAlmostEqual(self._total().liability_balance, 0)
        self.assertLedgerMatchesRecomputation()

    def test_threshold_crossing_reweights_the_borrower_in_the_ledger(self):
        self._in_force(self.small, 3_000_000)
        self._in_force(self.small, 2_000_000)
        self.assertAlmostEqual(self._total().liability_balance, 3_750_000)
        self._in_force(self.small, 1)
        self.assertAlmostEqual(self._total().liability_balance, 5_000_001)
        self.assertLedgerMatchesRecomputation()

    def test_borrower_attribute_changes_move_the_ledger(self):
        group = self.env["guarantee.related.group"].create(
            {"name": "台账关联方组", "company_id": self.company.id}
        )
        self._in_force(self.small, 4_000_000)
        self.small.write({"enterprise_scale": "medium", "related_group_id": group.id})
        row = self._rows(self.small)
        self.assertEqual(row.weight_category, "loan")
        self.assertEqual(row.related_group_id, group)
        self.assertAlmostEqual(self._total().liability_balance, 4_000_000)
        self.assertLedgerMatchesRecomputation()

    def test_uscc_correction_moves_the_borrower_key(self):
        self._in_force(self.small, 3_000_000)
        corrected = self._valid_uscc("320100", "RK999999")
        self.small.write({"uscc": corrected})
        self.assertEqual(self._rows(self.small).borrower_key, corrected)
        self.assertLedgerMatchesRecomputation()

    def test_nightly_check_rebuilds_and_alerts_on_any_difference(self):
        self._in_force(self.large, 2_000_000, "other_financing")
        self.assertEqual(self.Exposure._cron_verify(), [])
        # a change that bypassed the ORM
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE guarantee_exposure SET balance = 1 WHERE partner_id = %s", [self.large.id]
        )
        self.Exposure.invalidate_model()
        with self.assertLogs(
            "odoo.addons.guarantee_risk.models.guarantee_exposure", level="ERROR"
        ) as logs:
            differences = self.Exposure._cron_verify()
        self.assertIn("Exposure ledger differed", logs.output[0])
        self.assertEqual(len(differences), 1)
        self.assertAlmostEqual(self._rows(self.large).balance, 2_000_000)
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.company.partner_id.id),
                ("user_id", "=", self.gadmin.id),
            ]
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("exposure ledger", activity.note)
        self.assertLedgerMatchesRecomputation()

    def test_ledger_is_read_only_for_every_role(self):
        self._in_force(self.large, 2_000_000, "other_financing")
        for user in (self.risk, self.executive, self.gadmin):
            rows = self._rows(self.large).with_user(user)
            self.assertTrue(rows.read(["balance"]))
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to modify 'Exposure Ledger'"
            ):
                rows.write({"balance": 0})
        self.assertAlmostEqual(self._rows(self.large).balance, 2_000_000)
