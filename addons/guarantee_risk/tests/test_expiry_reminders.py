from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import RiskCase


@tagged("at_install")
class TestExpiryReminders(RiskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"guarantee_registration_reminder_days": 30, "guarantee_insurance_reminder_days": 7}
        )
        cls.borrower = cls._company_partner("南京到期提醒测试有限公司", "small")
        cls.project = cls._in_force(cls.borrower, 1_000_000)
        cls.today = fields.Date.context_today(cls.env["guarantee.collateral"])
        cls.collateral = cls.env["guarantee.collateral"].create(
            {
                "project_id": cls.project.id,
                "name": "南京市鼓楼区某路8号房产抵押",
                "kind": "mortgage",
                "asset_type": "real_estate",
                "owner_id": cls.borrower.id,
                "appraised_value": 2_000_000,
                "registration_no": "苏(2025)南京市不动产证明第0888号",
                "registration_authority": "南京市不动产登记中心",
                "registration_date": "2025-01-01",
                "registration_expiry": cls.today + timedelta(days=20),
                "insurance_expiry": cls.today + timedelta(days=20),
            }
        )
        cls.collateral.action_register()

    def _activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "guarantee.collateral"), ("res_id", "=", self.collateral.id)]
        )

    def test_registration_expiring_within_n_days_reminds_a_role_and_risk_officers(self):
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        activities = self._activities()
        self.assertIn(self.pm_a, activities.user_id)
        self.assertIn(self.risk, activities.user_id)
        self.assertTrue(
            all(a.date_deadline == self.collateral.registration_expiry for a in activities)
        )
        messages = self.collateral.message_ids.filtered(
            lambda m: "registration" in (m.subject or "")
        )
        self.assertTrue(messages)
        self.assertIn(self.pm_a.partner_id, messages.partner_ids)
        self.assertEqual(
            self.collateral.registration_reminded_for, self.collateral.registration_expiry
        )

    def test_reminder_is_sent_once_per_expiry(self):
        Collateral = self.env["guarantee.collateral"]
        Collateral._cron_expiry_reminders()
        count = len(self._activities())
        Collateral._cron_expiry_reminders()
        self.assertEqual(len(self._activities()), count)
        # renewed registration: a new expiry gets its own reminder
        self.collateral.registration_expiry = self.today + timedelta(days=25)
        Collateral._cron_expiry_reminders()
        self.assertGreater(len(self._activities()), count)

    def test_insurance_is_reminded_with_its_own_number_of_days(self):
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        self.assertFalse(self.collateral.insurance_reminded_for)  # 20 days > 7
        self.collateral.insurance_expiry = self.today + timedelta(days=7)
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        self.assertEqual(self.collateral.insurance_reminded_for, self.today + timedelta(days=7))

    def test_released_collateral_is_not_reminded(self):
        self.collateral.action_release()
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        self.assertFalse(self._activities())

    def test_reminder_mails_wait_in_the_queue_and_the_todos_send_none_of_their_own(self):
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        messages = self.collateral.message_ids
        self.assertFalse(
            messages.filtered(lambda m: m.message_type == "user_notification"),
            "the to-dos must not mail their assignees a second time",
        )
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        self.assertTrue(mails)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
