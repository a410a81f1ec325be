import json
from datetime import date, datetime, timedelta

from odoo.tests import tagged

from odoo.addons.guarantee_base.tests.fake_servers import JsonServer

from .common import ContractCase

DUE = date(2026, 3, 31)


def morning(day):
    """10:00 in Shanghai on ``day`` days after the due date, as naive UTC."""
    return datetime(2026, 3, 31, 2, 0) + timedelta(days=day)


@tagged("post_install", "-at_install")
class TestCollectionLadder(ContractCase):
    """An overdue fee walked up the ladder over 60 days, SMS through a gateway on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.texts = []
        cls.server = JsonServer(cls._gateway).start()
        cls.addClassCleanup(cls.server.stop)
        company = cls.env.company
        company.partner_id.tz = "Asia/Shanghai"
        company.write({"guarantee_quiet_start": 21.0, "guarantee_quiet_end": 8.0})
        cls.env["guarantee.sms.gateway"].search([]).active = False
        cls.env["guarantee.sms.gateway"].create({
            "name": "测试短信网关", "company_id": company.id, "base_url": cls.server.url,
            "api_key": "sms-key", "max_retries": 1, "backoff": 0.01,
        })
        cls.env["guarantee.collection.step"].search([]).active = False
        Step = cls.env["guarantee.collection.step"]
        for day, channel, text in (
            (1, "sms", "{partner}：{project}保费{amount}已逾期{days}天"),
            (7, "email", "{partner}：保费已逾期{days}天，请付款"),
            (7, "call", "致电{partner}催收{amount}"),
            (30, "letter", "正式催告：逾期{days}天"),
            (60, "legal", "项目{project}逾期{days}天，启动诉讼"),
        ):
            Step.create({"name": "第%d天%s" % (day, channel), "company_id": company.id,
                         "day": day, "channel": channel, "template": text})
        cls.customer.write({"mobile": "+8613800138000", "email": "finance@customer.cn"})
        cls.project = cls._approved_project()
        cls.fee = cls.env["guarantee.fee"].create({
            "project_id": cls.project.id, "date_from": "2026-01-01", "date_to": "2026-03-31",
            "date_due": DUE, "amount": 15000,
        })

    @classmethod
    def _gateway(cls, method, path, headers, data):
        if method == "POST" and path == "/sms":
            cls.texts.append(data)
            return 200, {}, {"status": "accepted", "message_id": "M%d" % len(cls.texts)}
        return 404, {}, {"error": "not found"}

    def setUp(self):
        super().setUp()
        self.texts.clear()
        Collection = self.env["guarantee.collection"]
        self.case = Collection._detect_overdue_fees(today=DUE + timedelta(days=1)).filtered(
            lambda case: case.fee_id == self.fee)
        self.assertEqual(len(self.case), 1)

    def _walk(self, days):
        for day in days:
            self.case._run_ladder(now=morning(day))

    def test_ladder_walked_over_sixty_days(self):
        again = self.env["guarantee.collection"]._detect_overdue_fees(
            today=DUE + timedelta(days=2))
        self.assertNotIn(self.case, again, "one case per fee")
        self._walk(range(0, 61))
        contacts = self.case.contact_ids.sorted(lambda c: (c.day, c.channel))
        self.assertEqual([(c.day, c.channel, c.state) for c in contacts], [
            (1, "sms", "done"), (7, "call", "done"), (7, "email", "done"),
            (30, "letter", "done"), (60, "legal", "done"),
        ])
        self.assertEqual(len(self.texts), 1)
        self.assertEqual(self.texts[0]["number"], "+8613800138000")
        self.assertIn(self.project.name, self.texts[0]["content"])
        self.assertIn("逾期1天", self.texts[0]["content"])
        call = contacts.filtered(lambda c: c.channel == "call")
        legal = contacts.filtered(lambda c: c.channel == "legal")
        self.assertEqual(call.activity_user_id, self.project.manager_id)
        self.assertTrue(legal.activity_user_id.has_group("guarantee_base.group_guarantee_risk"))
        self.assertEqual(len(self.case.activity_ids), 2)
        letter = contacts.filtered(lambda c: c.channel == "letter")
        self.assertEqual(letter.attachment_id.res_id, self.case.id)
        self.assertIn("逾期30天", letter.message)
        email = self.case.message_ids.filtered(lambda m: "保费已逾期7天" in (m.body or ""))
        self.assertEqual(email.partner_ids, self.customer)
        self.assertEqual(self.case.state, "open")

    def test_quiet_hours_defer_the_sms_to_the_next_run(self):
        late = datetime(2026, 4, 1, 15, 0)  # 23:00 in Shanghai
        self.case._run_ladder(now=late)
        self.assertEqual(self.case.contact_ids.mapped("state"), ["deferred"])
        self.assertFalse(self.texts)
        self.case._run_ladder(now=morning(2))
        self.assertEqual(sorted(self.case.contact_ids.mapped("state")), ["deferred", "done"])
        self.assertEqual(len(self.texts), 1)

    def test_runs_inside_quiet_hours_log_one_deferral_and_send_once_after(self):
        for hour in (13, 15, 17, 19, 23):  # 21:30 to 07:30 in Shanghai, night of day 1
            self.case._run_ladder(now=datetime(2026, 4, 1, hour, 30))
        contacts = self.case.contact_ids
        self.assertEqual(contacts.mapped("state"), ["deferred"], "one deferral per step")
        self.assertFalse(self.texts)
        self.case._run_ladder(now=morning(2))
        self.case._run_ladder(now=morning(2) + timedelta(hours=1))
        self.assertEqual(sorted(self.case.contact_ids.mapped("state")), ["deferred", "done"])
        self.assertEqual(len(self.texts), 1, "sent once when the quiet hours are over")

    def test_ladder_stops_when_the_fee_is_paid(self):
        self._walk(range(0, 11))
        self.fee.action_mark_paid(date=DUE + timedelta(days=10))
        self._walk(range(11, 61))
        self.assertEqual(self.case.state, "paid")
        self.assertEqual(sorted(self.case.contact_ids.mapped("channel")), ["call", "email", "sms"])

    def test_gateway_down_marks_the_sms_failed_and_retries_it_next_run(self):
        gateway = self.env["guarantee.sms.gateway"].search([("active", "=", True)])
        url = gateway.base_url
        gateway.base_url = "http://127.0.0.1:9"
        self.case._run_ladder(now=morning(1))
        self.assertEqual(self.case.contact_ids.state, "failed")
        self.assertEqual(gateway.call_log_ids.mapped("outcome"), ["error", "retry"])
        gateway.base_url = url
        self.case._run_ladder(now=morning(2))
        self.assertEqual(sorted(self.case.contact_ids.mapped("state")), ["done", "failed"])
        self.assertEqual(json.loads(json.dumps(self.texts))[0]["number"], "+8613800138000")
