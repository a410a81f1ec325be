import json
from datetime import date, datetime, timedelta

import pytz

from odoo.tests import tagged

from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer

from .common import ContractCase
from .test_contract_pdf import pdf_text

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


@tagged("post_install", "-at_install")
class TestCollectionRunSurvivesFailures(ContractCase):
    """The scheduled collection run: a case that fails is skipped and logged, the others get
    their cases and their day-30 letters, typeset by the PDF pipeline (no wkhtmltopdf)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["guarantee_risk"], ["zh_CN"], overwrite=True
        )
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.env["guarantee.collection.step"].search([]).active = False
        cls.env["guarantee.collection.step"].create({
            "name": "第30天催收函", "company_id": cls.env.company.id, "day": 30,
            "channel": "letter", "template": "{partner}：{project}担保费{amount}已逾期{days}天",
        })
        today = date.today()
        cls.fees = cls.env["guarantee.fee"]
        for amount in (15000, 16000, 17000):
            project = cls._approved_project(amount=1000000 + amount)
            cls.fees |= cls.env["guarantee.fee"].create({
                "project_id": project.id, "date_from": today - timedelta(days=120),
                "date_to": today - timedelta(days=31), "date_due": today - timedelta(days=31),
                "amount": amount,
            })

    def _letters(self, case):
        return case.contact_ids.filtered(lambda c: c.channel == "letter" and c.state == "done")

    def test_one_failing_case_is_skipped_and_the_others_get_their_letters(self):
        from unittest.mock import patch

        from odoo.addons.base.models.ir_actions_report import IrActionsReport

        Collection = type(self.env["guarantee.collection"])
        open_for, letter_pdf = Collection._open_for, Collection._demand_letter_pdf
        no_case_fee, no_letter_fee, good_fee = self.fees

        def failing_open_for(self, project, *args):
            if project == no_case_fee.project_id:
                raise ValueError("registry of %s unreachable" % project.name)
            return open_for(self, project, *args)

        def failing_letter(self, *args):
            if self.fee_id == no_letter_fee:
                raise ValueError("letter of %s cannot be made" % self.name)
            return letter_pdf(self, *args)

        wkhtmltopdf = AssertionError("wkhtmltopdf was called")
        with patch.object(Collection, "_open_for", failing_open_for), \
                patch.object(Collection, "_demand_letter_pdf", failing_letter), \
                patch.object(IrActionsReport, "_run_wkhtmltopdf", side_effect=wkhtmltopdf), \
                self.assertLogs("odoo.addons", level="ERROR") as logs:
            self.env["guarantee.collection"]._cron_run_ladder()
        self.assertEqual(len(logs.records), 2, logs.output)
        cases = self.env["guarantee.collection"].search([("fee_id", "in", self.fees.ids)])
        self.assertEqual(cases.fee_id, no_letter_fee | good_fee)
        by_fee = {case.fee_id: case for case in cases}
        self.assertFalse(self._letters(by_fee[no_letter_fee]))
        self.assertFalse(by_fee[no_letter_fee].contact_ids, "the failed case is rolled back")
        letter = self._letters(by_fee[good_fee])
        # 31 days overdue, counted in Shanghai (one more once it is past midnight there)
        days = (datetime.now(pytz.timezone("Asia/Shanghai")).date() - good_fee.date_due).days
        self.assertIn(days, (31, 32))
        self.assertEqual(letter.day, days)
        content = letter.attachment_id.raw
        self.assertTrue(content.startswith(b"%PDF"), content[:40])
        text = "".join(pdf_text(content))
        self.assertIn("催收函", text)
        self.assertIn("逾期%d天" % days, text)
        self.assertIn("17,000.00", text)
        self.assertEqual(letter.attachment_id.name,
                         "催收函 %s 第%d天.pdf" % (by_fee[good_fee].name, days))

        # the next run takes the skipped ones again
        with patch.object(IrActionsReport, "_run_wkhtmltopdf", side_effect=wkhtmltopdf):
            self.env["guarantee.collection"]._cron_run_ladder()
        cases = self.env["guarantee.collection"].search([("fee_id", "in", self.fees.ids)])
        self.assertEqual(len(cases), 3)
        for case in cases:
            self.assertEqual(len(self._letters(case)), 1, case.name)
