from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RiskCase


@tagged("at_install")
class TestRiskSecurity(RiskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.borrower = cls._company_partner("南京权限测试有限公司", "small")
        cls.project = cls._project(cls.borrower, 1_000_000)
        cls.collateral = cls.env["guarantee.collateral"].create(
            {
                "project_id": cls.project.id,
                "name": "应收账款质押",
                "kind": "pledge",
                "asset_type": "receivable",
                "owner_id": cls.borrower.id,
                "appraised_value": 500_000,
            }
        )
        cls.signal = cls.env["guarantee.risk.signal"].create(
            {"project_id": cls.project.id, "kind": "litigation", "description": "被起诉"}
        )

    def test_pm_of_another_project_sees_no_collateral_or_signal(self):
        Collateral = self.env["guarantee.collateral"].with_user(self.pm_other)
        self.assertFalse(Collateral.search([("id", "=", self.collateral.id)]))
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'read' access to:\n- Counter-Guarantee"
        ):
            self.collateral.with_user(self.pm_other).read(["name"])
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'create' access to:\n- Counter-Guarantee"
        ):
            Collateral.create(
                {
                    "project_id": self.project.id,
                    "name": "越权抵押",
                    "kind": "mortgage",
                    "asset_type": "real_estate",
                    "owner_id": self.borrower.id,
                }
            )
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'read' access to:\n- Early-Warning Signal"
        ):
            self.signal.with_user(self.pm_other).read(["description"])

    def test_b_role_reads_and_edits_collateral_of_the_project(self):
        self.collateral.with_user(self.pm_b).write({"appraised_value": 600_000})
        self.assertEqual(self.collateral.recognized_value, 360_000)

    def test_risk_officer_writes_risk_records_and_finance_reads(self):
        self.signal.with_user(self.risk).action_handle()
        self.assertEqual(self.signal.state, "handled")
        self.collateral.with_user(self.finance).read(["name"])
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Counter-Guarantee'"
        ):
            self.collateral.with_user(self.finance).write({"appraised_value": 1})
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Counter-Guarantee'"
        ):
            self.collateral.with_user(self.executive).write({"appraised_value": 1})

    def test_haircut_table_is_admin_only(self):
        haircut = self.env["guarantee.collateral.haircut"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        haircut.with_user(self.risk).read(["haircut"])
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Counter-Guarantee Haircut'"
        ):
            haircut.with_user(self.risk).write({"haircut": 99})
        haircut.with_user(self.gadmin).write({"haircut": 65})

    def test_other_company_does_not_see_the_records(self):
        other = self.env["res.company"].create({"name": "另一家担保公司"})
        self.risk.write({"company_ids": [(4, other.id)]})
        records = (
            self.env["guarantee.collateral"]
            .with_user(self.risk)
            .with_context(allowed_company_ids=[other.id])
            .search([("id", "=", self.collateral.id)])
        )
        self.assertFalse(records)

    def test_pm_cannot_write_credit_lines(self):
        line = self.env["guarantee.credit.line"].create(
            {
                "partner_id": self.borrower.id,
                "company_id": self.company.id,
                "amount": 1_000_000,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
            }
        )
        line.with_user(self.pm_a).read(["amount"])
        with self.assertRaisesExactly(
            AccessError, r"You are not allowed to modify 'Credit Line' \(guarantee\.credit\.line\)"
        ):
            line.with_user(self.pm_a).write({"amount": 9_000_000})

    def test_every_role_can_open_the_project_form(self):
        fields = [
            "collateral_ids",
            "coverage_ratio",
            "collateral_value",
            "liability_balance",
            "credit_line_id",
            "risk_signal_count",
            "classification_ids",
            "limit_override_ids",
            "limit_liability_before",
            "limit_liability_after",
            "limit_breaches",
            "next_step_blockers",
        ]
        self.project._unlocked(history=True)._do_transition("submit_review")
        for user in (self.pm_a, self.pm_b, self.risk, self.committee, self.finance, self.executive):
            self.project.with_user(user).invalidate_recordset()
            self.project.with_user(user).read(fields)
            self.project.with_user(user).collateral_ids.read(["name", "recognized_value"])
