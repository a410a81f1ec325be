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
        cls.collateral = cls._registered_collateral(
            cls.project, "南京市鼓楼区某路8号房产抵押", cls.today + timedelta(days=20)
        )

    @classmethod
    def _registered_collateral(cls, project, name, expiry, insurance_expiry=None):
        collateral = cls.env["guarantee.collateral"].create(
            {
                "project_id": project.id,
                "name": name,
                "kind": "mortgage",
                "asset_type": "real_estate",
                "owner_id": project.partner_id.id,
                "appraised_value": 2_000_000,
                "registration_no": "苏(2025)南京市不动产证明第0888号",
                "registration_authority": "南京市不动产登记中心",
                "registration_date": "2025-01-01",
                "registration_expiry": expiry,
                "insurance_expiry": insurance_expiry or expiry,
            }
        )
        collateral.action_register()
        return collateral

    def _digests(self, user):
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", user.partner_id.ids),
                ("subject", "like", "counter-guarantee expiries"),
            ]
        )

    def _chatter_lines(self, collaterals):
        return self.env["mail.message"].search(
            [
                ("model", "=", "guarantee.collateral"),
                ("res_id", "in", collaterals.ids),
                ("body", "ilike", "reminder sent to"),
            ]
        )

    def test_registration_expiring_within_n_days_is_in_the_a_role_and_risk_digests(self):
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        for user in (self.pm_a, self.risk):
            digest = self._digests(user)
            self.assertEqual(len(digest), 1, user.login)
            self.assertIn(self.collateral.name, digest.body_html)
            self.assertIn(self.project.name, digest.body_html)
        line = self._chatter_lines(self.collateral)
        self.assertEqual(len(line), 1)
        self.assertIn(self.pm_a.name, line.body)
        self.assertIn(self.risk.name, line.body)
        self.assertEqual(
            self.collateral.registration_reminded_for, self.collateral.registration_expiry
        )

    def test_reminder_is_sent_once_per_expiry(self):
        Collateral = self.env["guarantee.collateral"]
        Collateral._cron_expiry_reminders()
        self.assertEqual(len(self._chatter_lines(self.collateral)), 1)
        Collateral._cron_expiry_reminders()
        self.assertEqual(len(self._chatter_lines(self.collateral)), 1)
        self.assertEqual(len(self._digests(self.pm_a)), 1)
        # renewed registration: a new expiry gets its own reminder
        self.collateral.registration_expiry = self.today + timedelta(days=25)
        Collateral._cron_expiry_reminders()
        self.assertEqual(len(self._chatter_lines(self.collateral)), 2)
        self.assertEqual(len(self._digests(self.pm_a)), 2)

    def test_insurance_is_reminded_with_its_own_number_of_days(self):
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        self.assertFalse(self.collateral.insurance_reminded_for)  # 20 days > 7
        self.collateral.insurance_expiry = self.today + timedelta(days=7)
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        self.assertEqual(self.collateral.insurance_reminded_for, self.today + timedelta(days=7))
        line = self._chatter_lines(self.collateral).filtered(lambda m: "Insurance" in m.body)
        self.assertEqual(len(line), 1)

    def test_released_collateral_is_not_reminded(self):
        self.collateral.action_release()
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        self.assertFalse(self._digests(self.pm_a))
        self.assertFalse(self._chatter_lines(self.collateral))

    def test_digests_wait_in_the_queue_and_no_todo_mails_anyone_again(self):
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        mails = self._digests(self.pm_a) | self._digests(self.risk)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "guarantee.collateral"), ("res_id", "=", self.collateral.id)]
            )
        )
        self.assertFalse(
            self.collateral.message_ids.filtered(lambda m: m.message_type == "user_notification")
        )

    def test_one_digest_per_person_listing_all_theirs_and_one_chatter_line_each(self):
        """Seven counter-guarantees of two A-roles expire: pm_a's digest lists its four,
        pm_b's its three, the risk officer's all seven plus the one of setUp; each
        counter-guarantee has one chatter line."""
        project_b = self._in_force(
            self._company_partner("南京到期提醒乙有限公司"), 500_000,
            manager_id=self.pm_b.id, assistant_id=self.pm_a.id,
        )
        expiry = self.today + timedelta(days=10)
        of_a = [
            self._registered_collateral(self.project, "甲抵押%d" % i, expiry) for i in range(3)
        ]
        of_b = [self._registered_collateral(project_b, "乙抵押%d" % i, expiry) for i in range(3)]
        self.env["guarantee.collateral"]._cron_expiry_reminders()
        digest_a, digest_b, digest_risk = (
            self._digests(u) for u in (self.pm_a, self.pm_b, self.risk)
        )
        self.assertEqual((len(digest_a), len(digest_b), len(digest_risk)), (1, 1, 1))
        for name in ["甲抵押0", "甲抵押1", "甲抵押2", self.collateral.name]:
            self.assertIn(name, digest_a.body_html)
            self.assertNotIn(name, digest_b.body_html)
            self.assertIn(name, digest_risk.body_html)
        for name in ["乙抵押0", "乙抵押1", "乙抵押2"]:
            self.assertIn(name, digest_b.body_html)
            self.assertNotIn(name, digest_a.body_html)
            self.assertIn(name, digest_risk.body_html)
        everything = self.collateral.browse([c.id for c in of_a + of_b]) | self.collateral
        lines = self._chatter_lines(everything)
        self.assertEqual(len(lines), 7)
        self.assertEqual(set(lines.mapped("res_id")), set(everything.ids))
        line_b = lines.filtered(lambda m: m.res_id == of_b[0].id)
        self.assertIn(self.pm_b.name, line_b.body)
        self.assertNotIn(self.pm_a.name, line_b.body)

    def test_the_nights_queries_do_not_grow_with_the_number_of_reminders(self):
        """A night with 12 expiries costs what a night with 3 costs, but for the audit trail
        of its "reminded" marks where the audit log is on (OCA auditlog writes a log and its
        line one record at a time: 2 statements each, not counted). Before the digests,
        every reminder cost about 48 statements."""
        Collateral = self.env["guarantee.collateral"]
        AuditLog = self.env["auditlog.log"].sudo()
        Collateral._cron_expiry_reminders()  # warm the caches
        counts = []
        for nights_count, days in ((3, 11), (12, 12)):
            expiry = self.today + timedelta(days=days)
            for i in range(nights_count):
                self._registered_collateral(self.project, "夜%d-%d" % (days, i), expiry,
                                            self.today + timedelta(days=60))
            self.env.flush_all()
            self.env.invalidate_all()
            logs_before = AuditLog.search_count([])
            before = self.env.cr.sql_log_count
            Collateral._cron_expiry_reminders()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            counts.append(queries - 2 * (AuditLog.search_count([]) - logs_before))
        self.assertEqual(counts[0], counts[1])
