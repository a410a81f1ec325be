from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestProjectExtension(GuaranteeCase):
    """展期: an approved extension moves the end date of a project in force, tracked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search(
            [("model", "=", "guarantee.project.extension")]
        ).active = False
        cls.env["tier.definition"].create(
            {
                "name": "展期审批",
                "model_id": cls.env.ref("guarantee_base.model_guarantee_project_extension").id,
                "review_type": "group",
                "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_executive").id,
                "definition_domain": "[]",
            }
        )
        cls.project = cls._create_project(date_start="2026-01-01", term_months=12)
        cls.project.action_accept()
        cls.project.action_start_investigation()
        cls.project.action_submit_review()
        cls.project.action_approve()
        cls.project.action_contract()
        cls.project.action_activate(release_date="2026-01-05", amount=1000000)

    def _extension(self, new_end="2027-03-31", user=None):
        return (
            self.env["guarantee.project.extension"]
            .with_user(user or self.pm_a)
            .create(
                {
                    "project_id": self.project.id,
                    "date_end_new": new_end,
                    "reason": "借款人回款周期延长",
                }
            )
        )

    def test_approved_extension_moves_the_end_date_with_tracking_and_stays_as_history(self):
        self.assertEqual(self.project.date_end, date(2026, 12, 31))
        extension = self._extension()
        self.assertEqual(extension.date_end_old, date(2026, 12, 31))
        self.assertEqual(extension.extension_days, 90)
        extension.action_submit()
        self.assertIn(extension.validation_status, ("waiting", "pending"))
        with self.assertRaisesExactly(UserError, "The approval tiers are not all validated yet"):
            extension.action_approve()
        self.assertEqual(self.project.date_end, date(2026, 12, 31))
        extension.with_user(self.executive).validate_tier()
        extension.with_user(self.executive).action_approve()
        self.assertEqual(extension.state, "approved")
        self.assertEqual(self.project.date_end, date(2027, 3, 31))
        self.assertEqual(self.project.extension_ids, extension)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = self.project.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "date_end"
        )
        self.assertTrue(tracked)
        self.assertEqual(tracked[0].new_value_datetime.date(), date(2027, 3, 31))
        self.assertEqual(tracked[0].mail_message_id.author_id, self.executive.partner_id)

    def test_new_end_date_must_be_after_the_current_one(self):
        with self.assertRaisesExactly(
            ValidationError, "The new end date 2026-12-31 must be after the current end date"
        ):
            self._extension(new_end="2026-12-31")
        with self.assertRaisesExactly(
            ValidationError, "The new end date 2026-06-30 must be after the current end date"
        ):
            self._extension(new_end="2026-06-30")
        self.assertFalse(self.project.extension_ids)

    def test_only_a_project_in_force_can_be_extended(self):
        draft_project = self._create_project()
        with self.assertRaisesExactly(ValidationError, "Only a project in force can be extended"):
            self.env["guarantee.project.extension"].with_user(self.pm_a).create(
                {
                    "project_id": draft_project.id,
                    "date_end_new": "2028-01-01",
                    "reason": "测试",
                }
            )
        extension = self._extension()
        self.project.action_release(release_date="2026-06-30")
        with self.assertRaisesExactly(UserError, "The project is no longer in force"):
            extension.action_submit()

    def test_an_extension_is_approved_only_once(self):
        extension = self._extension()
        extension.action_submit()
        extension.with_user(self.executive).validate_tier()
        extension.with_user(self.executive).action_approve()
        with self.assertRaisesExactly(UserError, "The extension is Approved"):
            extension.with_user(self.executive).action_approve()
        with self.assertRaisesExactly(
            ValidationError, "You are not allowed to write those fields after validation"
        ):
            extension.with_user(self.executive).write({"state": "submitted"})
        # nor by a step of the extension: approved is final (issue 22, the declared graph)
        for state, label in (("draft", "Draft"), ("submitted", "Submitted"),
                             ("rejected", "Rejected")):
            with self.assertRaisesExactly(
                UserError, f"is Approved and cannot become {label}",
            ):
                extension._unlocked().with_context(skip_validation_check=True).write(
                    {"state": state})
        self.assertEqual(extension.state, "approved")

    def test_project_manager_cannot_validate_the_executive_tier_of_an_extension(self):
        extension = self._extension()
        extension.action_submit()
        with self.assertRaisesExactly(
            UserError, "You are not a reviewer of the pending approval tiers of"
        ):
            extension.with_user(self.pm_a).validate_tier()
        self.assertIn(extension.validation_status, ("waiting", "pending"))

    def test_other_project_managers_do_not_see_the_extension(self):
        extension = self._extension()
        Extension = self.env["guarantee.project.extension"]
        self.assertFalse(Extension.with_user(self.pm_other).search([("id", "=", extension.id)]))
        found = Extension.with_user(self.pm_b).search([("id", "=", extension.id)])
        self.assertEqual(found, extension)
