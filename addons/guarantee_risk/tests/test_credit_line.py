from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import RiskCase


@tagged("at_install")
class TestCreditLine(RiskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.borrower = cls._company_partner("南京授信测试有限公司", "medium")
        cls.line = cls.env["guarantee.credit.line"].create(
            {
                "partner_id": cls.borrower.id,
                "company_id": cls.company.id,
                "amount": 10_000_000,
                "date_start": "2026-01-01",
                "date_end": "2099-12-31",
            }
        )
        cls.line.action_confirm()

    def test_used_is_the_in_force_balance_of_its_projects(self):
        first = self._in_force(self.borrower, 4_000_000)
        self._in_force(self.borrower, 2_000_000, own_share=50)
        self._project(self.borrower, 3_000_000)  # not in force: not used
        self.assertEqual(first.credit_line_id, self.line)
        self.line.invalidate_recordset(["amount_used", "amount_available"])
        self.assertEqual(self.line.amount_used, 5_000_000)
        self.assertEqual(self.line.amount_available, 5_000_000)
        self.assertTrue(self.line.name.startswith("SX"))

    def test_approval_beyond_the_available_line_is_refused_with_the_figures(self):
        self._in_force(self.borrower, 7_000_000)
        project = self._in_review(self.borrower, 4_000_000)
        with self.assertRaisesExactly(
            UserError, r"The exposure ¥4,000,000\.00 exceeds the available credit of ¥3,000,000\.00"
        ) as error:
            project.with_user(self.executive).action_approve()
        message = str(error.exception)
        self.assertIn("¥4,000,000.00", message)
        self.assertIn("¥3,000,000.00", message)
        self.assertIn("¥10,000,000.00", message)
        self.assertIn("¥7,000,000.00", message)
        self.assertEqual(project.state, "reviewing")

    def test_approval_within_the_available_line_passes_the_credit_gate(self):
        self._in_force(self.borrower, 7_000_000)
        project = self._in_review(self.borrower, 3_000_000)
        self.assertFalse(project._credit_line_blockers())
        self._complete_documents(project)
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.state, "approved")

    def test_an_expired_line_refuses_approval(self):
        project = self._in_review(self.borrower, 1_000_000)
        self.line.date_end = "2026-01-31"
        with self.assertRaisesExactly(
            UserError, r"is not valid today \(2026-01-01 to 2026-01-31\)"
        ) as error:
            project.with_user(self.executive).action_approve()
        self.assertIn(self.line.name, str(error.exception))

    def test_line_granted_after_intake_applies_at_approval_and_is_linked(self):
        other = self._company_partner("后授信测试有限公司", "medium")
        project = self._in_review(other, 2_000_000)
        self.assertFalse(project.credit_line_id)
        line = self.env["guarantee.credit.line"].create(
            {
                "partner_id": other.id,
                "company_id": self.company.id,
                "amount": 1_500_000,
                "date_start": "2026-01-01",
                "date_end": "2099-12-31",
            }
        )
        line.action_confirm()
        with self.assertRaisesExactly(
            UserError, r"The exposure ¥2,000,000\.00 exceeds the available credit of ¥1,500,000\.00"
        ) as error:
            project.with_user(self.executive).action_approve()
        self.assertIn("¥1,500,000.00", str(error.exception))
        line.amount = 2_000_000
        self._complete_documents(project)
        project.with_user(self.executive).action_approve()
        self.assertEqual(project.credit_line_id, line)

    def test_customer_without_line_is_not_limited_by_one(self):
        other = self._company_partner("无授信测试有限公司", "medium")
        project = self._in_review(other, 1_000_000)
        self.assertFalse(project.credit_line_id)
        self.assertFalse(project._credit_line_blockers())

    def test_two_confirmed_lines_cannot_overlap(self):
        line = self.env["guarantee.credit.line"].create(
            {
                "partner_id": self.borrower.id,
                "company_id": self.company.id,
                "amount": 1_000_000,
                "date_start": "2027-01-01",
                "date_end": "2027-12-31",
            }
        )
        with self.assertRaisesExactly(
            ValidationError, "南京授信测试有限公司 already has a confirmed credit line over these"
        ):
            line.action_confirm()

    def test_a_line_is_born_draft_and_reopened_only_once_closed(self):
        """Issue 22, the declared state machine: a confirmed line is not born so, and its
        steps never take it back to draft without closing it first."""
        with self.assertRaisesExactly(
            UserError, "A Credit Line is created Draft; it becomes Confirmed only through its "
            "actions.",
        ):
            self.env["guarantee.credit.line"].sudo().create({
                "partner_id": self.borrower.id, "company_id": self.company.id,
                "amount": 1_000_000, "date_start": "2027-01-01", "date_end": "2027-12-31",
                "state": "confirmed",
            })
        with self.assertRaisesExactly(UserError, "is Confirmed and cannot become Draft."):
            self.line._unlocked().write({"state": "draft"})
        self.assertEqual(self.line.state, "confirmed")
        self.line.action_close()
        self.line.action_reset_draft()
        self.assertEqual(self.line.state, "draft")

    def test_line_must_end_after_it_starts(self):
        with self.assertRaisesExactly(ValidationError, "ends before it starts"):
            self.env["guarantee.credit.line"].create(
                {
                    "partner_id": self.borrower.id,
                    "company_id": self.company.id,
                    "amount": 1_000_000,
                    "date_start": "2027-01-01",
                    "date_end": "2026-12-31",
                }
            )
