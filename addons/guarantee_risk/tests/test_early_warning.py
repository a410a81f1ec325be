import json
import re
import time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.guarantee_platform.tests.fake_servers import KeepLocalTimeouts, LocalServer
from odoo.addons.queue_job.exception import RetryableJobError

from .common import RiskCase

PROVIDER_LOGGER = "odoo.addons.guarantee_risk.models.guarantee_data_provider"


def profile(legal_rep="张三", lawsuits=(), capital=5000000, **extra):
    return dict({
        "name": "测试企业",
        "legal_representative": legal_rep,
        "registered_capital": capital,
        "address": "南京市鼓楼区中山路1号",
        "shareholders": [{"name": "张三"}, {"name": "李四"}],
        "tax_credit_grade": "A",
        "lawsuits": list(lawsuits),
    }, **extra)


LAWSUIT = {"id": "LS-2026-001", "case_no": "（2026）苏01民初123号", "cause": "买卖合同纠纷",
           "amount": 2500000, "date": "2026-06-01"}


@tagged("post_install", "-at_install")
class TestEarlyWarning(KeepLocalTimeouts, RiskCase):
    """Registry watch against a provider served on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LocalServer(cls._serve).start()
        cls.addClassCleanup(cls.server.stop)
        cls.provider = cls.env["guarantee.data.provider"].create({
            "name": "测试数据源",
            "company_id": cls.company.id,
            "base_url": cls.server.url,
            "api_key": "provider-key",
            "timeout": 10.0,
            "max_retries": 2,
            "backoff": 0.01,
        })
        Rule = cls.env["guarantee.warning.rule"]
        cls.rule_legal = Rule.create({
            "name": "法人变更", "company_id": cls.company.id, "signal_type": "legal_rep_change",
            "severity": "high", "suggested_risk_class": "special", "response_days": 3,
            "notify_executive": True,
        })
        cls.rule_big_lawsuit = Rule.create({
            "name": "大额诉讼", "company_id": cls.company.id, "signal_type": "lawsuit",
            "min_amount": 1000000, "severity": "high", "response_days": 2, "sequence": 1,
        })
        cls.rule_lawsuit = Rule.create({
            "name": "诉讼", "company_id": cls.company.id, "signal_type": "lawsuit",
            "severity": "low", "response_days": 5, "sequence": 2,
        })
        cls.customer_a = cls._company_partner("南京测试机械有限公司")
        cls.project = cls._in_force(cls.customer_a, 3000000)

    def setUp(self):
        super().setUp()
        type(self).answers = []
        type(self).current = profile()

    @classmethod
    def _serve(cls, method, path, headers, body):
        answer = cls.answers.pop(0) if cls.answers else "ok"
        if answer == "500":
            return 500, {}, b"internal error"
        if answer == "timeout":
            time.sleep(1.0)
            return 200, {}, json.dumps(cls.current).encode()
        if answer == "malformed":
            return 200, {"Content-Type": "application/json"}, b'{"lawsuits": "not a list"'
        return 200, {"Content-Type": "application/json"}, json.dumps(cls.current).encode()

    def _signals(self):
        return self.env["guarantee.risk.signal"].search([("partner_id", "=", self.customer_a.id)])

    def _poll(self):
        return self.customer_a._guarantee_watch(self.provider)

    def test_first_look_is_a_baseline_and_a_change_is_signalled_once(self):
        checked, failed = self._poll()
        self.assertEqual((checked, failed), (self.customer_a, self.env["res.partner"]))
        self.assertFalse(self._signals(), "the first profile is the baseline")
        type(self).current = profile(legal_rep="王五", lawsuits=[LAWSUIT])
        self._poll()
        signals = self._signals()
        self.assertEqual(sorted(signals.mapped("signal_type")), ["lawsuit", "legal_rep_change"])
        legal = signals.filtered(lambda s: s.signal_type == "legal_rep_change")
        self.assertEqual((legal.severity, legal.suggested_risk_class, legal.rule_id),
                         ("high", "special", self.rule_legal))
        self.assertIn("张三 → 王五", legal.description)
        self.assertEqual(legal.project_id, self.project)
        lawsuit = signals.filtered(lambda s: s.signal_type == "lawsuit")
        self.assertEqual((lawsuit.rule_id, lawsuit.amount, str(lawsuit.date)),
                         (self.rule_big_lawsuit, 2500000, "2026-06-01"))
        self._poll()
        self._poll()
        self.assertEqual(self._signals(), signals, "the same facts raise nothing more")

    def test_first_look_raises_what_is_still_open_and_once(self):
        rule_dishonest = self.env["guarantee.warning.rule"].create({
            "name": "失信", "company_id": self.company.id, "signal_type": "dishonest",
            "severity": "high", "suggested_risk_class": "substandard", "response_days": 1,
            "notify_executive": True,
        })
        type(self).current = profile(
            legal_rep="王五",
            tax_credit_grade="D",
            lawsuits=[LAWSUIT, dict(LAWSUIT, id="LS-OLD", status="已结案")],
            judgments=[{"id": "PJ-1", "case_no": "（2024）苏01民终9号", "amount": 100000}],
            penalties=[{"id": "CF-1", "authority": "市场监管局", "amount": 5000}],
            enforcements=[{"id": "ZX-1", "court": "南京市中级人民法院", "amount": 800000}],
            dishonest=[{"id": "SX-1", "court": "南京市中级人民法院", "date": "2026-05-01"}],
            abnormal_operations=[
                {"id": "YC-1", "reason": "通过登记的住所无法联系"},
                {"id": "YC-0", "reason": "未按期公示年报", "status": "已移出"},
            ],
        )
        self._poll()
        signals = self._signals()
        keys = {key.split(":", 1)[1] for key in signals.mapped("provider_event_id")}
        self.assertLessEqual({"abnormal_operations:YC-1", "dishonest:SX-1", "enforcements:ZX-1",
                              "lawsuits:LS-2026-001"}, keys)
        self.assertEqual(sorted(signals.mapped("signal_type")),
                         ["abnormal", "dishonest", "enforcement", "lawsuit", "tax_grade"],
                         "open items and grade D; no profile field, closed case, past judgment "
                         "or penalty")
        dishonest = signals.filtered(lambda s: s.signal_type == "dishonest")
        self.assertEqual((dishonest.rule_id, dishonest.severity, dishonest.suggested_risk_class),
                         (rule_dishonest, "high", "substandard"))
        self.assertIn(self.executive, dishonest.activity_ids.user_id)
        lawsuit = signals.filtered(lambda s: s.signal_type == "lawsuit")
        self.assertEqual(lawsuit.rule_id, self.rule_big_lawsuit)
        self._poll()
        self.assertEqual(self._signals(), signals, "a second identical poll raises nothing")

    def test_first_look_of_a_clean_company_is_silent(self):
        type(self).current = profile(
            lawsuits=[dict(LAWSUIT, status="closed")], tax_credit_grade="B",
            judgments=[{"id": "PJ-1", "amount": 1}], penalties=[{"id": "CF-1"}],
        )
        self._poll()
        self.assertFalse(self._signals())

    def test_rule_conditions_pick_severity_by_amount(self):
        self._poll()
        small = dict(LAWSUIT, id="LS-SMALL", amount=20000)
        type(self).current = profile(lawsuits=[small])
        self._poll()
        self.assertEqual(self._signals().rule_id, self.rule_lawsuit)
        self.assertEqual(self._signals().severity, "low")

    def test_recipients_get_activities_and_email(self):
        self._poll()
        type(self).current = profile(legal_rep="王五")
        self._poll()
        signal = self._signals()
        users = signal.activity_ids.mapped("user_id")
        self.assertLessEqual(self.pm_a | self.risk | self.executive, users)
        self.assertFalse(users & (self.pm_b | self.pm_other | self.committee | self.finance))
        self.assertEqual(set(signal.activity_ids.mapped("date_deadline")),
                         {signal.response_deadline})
        mail = self.env["mail.mail"].search([("model", "=", signal._name),
                                             ("res_id", "=", signal.id)])
        self.assertEqual(mail.recipient_ids, users.partner_id.filtered("email"))

    @mute_logger(PROVIDER_LOGGER)
    def test_failures_are_logged_retried_and_lose_nothing(self):
        self._poll()
        type(self).current = profile(legal_rep="王五")
        # 500, then a time-out (both retried), then a malformed body (not retried)
        self.provider.timeout = 0.5  # the time-out answer takes 1 s
        type(self).answers = ["500", "timeout", "malformed"]
        checked, failed = self._poll()
        self.assertEqual((checked, failed), (self.env["res.partner"], self.customer_a))
        self.assertFalse(self._signals())
        logs = self.provider.call_log_ids.filtered(lambda log: log.outcome != "ok")
        self.assertEqual(logs.sorted("id").mapped("outcome"), ["retry", "retry", "error"])
        self.assertEqual(logs.sorted("id")[0].status_code, 500)
        self.assertIn("Not JSON", logs.sorted("id")[-1].message)
        self.assertFalse(any("provider-key" in (log.message or "") for log in logs))
        # the next round gets the answer: the change is there, once
        self._poll()
        self.assertEqual(self._signals().signal_type, "legal_rep_change")

    @mute_logger(PROVIDER_LOGGER)
    def test_a_watch_job_whose_calls_all_fail_is_retried_by_the_queue(self):
        type(self).answers = ["500"] * 3
        with self.assertRaises(RetryableJobError):
            self.env["res.partner"]._guarantee_watch_batch(self.provider.id, self.customer_a.ids)
        self.assertFalse(self.customer_a.guarantee_watch_date)
        self.env["res.partner"]._guarantee_watch_batch(self.provider.id, self.customer_a.ids)
        self.assertTrue(self.customer_a.guarantee_watch_date)

    def test_repeated_provider_events_make_one_signal(self):
        change = {"type": "lawsuit", "key": "lawsuits:LS-9", "amount": 0.0, "date": "",
                  "text": "x"}
        Signal = self.env["guarantee.risk.signal"]
        Signal._create_from_changes(self.provider, {self.customer_a: [change, change]})
        Signal._create_from_changes(self.provider, {self.customer_a: [change]})
        self.assertEqual(len(self._signals()), 1)

    def test_scheduled_watch_queues_each_in_force_customer_once_a_day(self):
        idle = self._company_partner("未在保企业")
        self.env["res.partner"]._cron_guarantee_watch(batch_size=50)
        self.env["res.partner"]._cron_guarantee_watch(batch_size=50)
        jobs = self.env["queue.job"].search([("method_name", "=", "_guarantee_watch_batch"),
                                             ("args", "like", "%d" % self.provider.id)])
        jobs = jobs.filtered(lambda job: job.args[0] == self.provider.id)
        self.assertEqual(len(jobs), 1, "the identity key keeps one job per batch and day")
        self.assertIn(self.customer_a.id, jobs.args[1])
        self.assertNotIn(idle.id, jobs.args[1])
        self.assertEqual(jobs.channel, "root.guarantee_connector")

    def test_on_demand_check_from_the_customer_form(self):
        action = self.customer_a.with_user(self.pm_a).action_guarantee_watch_now()
        self.assertEqual(action["res_model"], "guarantee.risk.signal")
        self.assertTrue(self.customer_a.guarantee_watch_date)
        self.assertEqual(self.provider.call_log_ids.outcome, "ok")

    def test_api_key_is_admin_only(self):
        with self.assertRaisesExactly(
            AccessError, 'You do not have enough rights to access the fields "api_key" on Registry'
        ):
            self.provider.with_user(self.risk).read(["api_key"])
        with self.assertRaisesRegex(AccessError, "api_key"):
            self.provider.with_user(self.gadmin).read(["api_key"])  # system administrators only
        admin = new_test_user(self.env, "t_sysadmin_ew",
                              groups="base.group_system,guarantee_base.group_guarantee_admin",
                              company_id=self.company.id, company_ids=self.company.ids)
        self.assertEqual(self.provider.with_user(admin).api_key, "provider-key")

    def test_warning_states_change_only_through_their_buttons(self):
        self._poll()
        type(self).current = profile(legal_rep="王五")
        self._poll()
        signal = self._signals().with_user(self.risk)
        with self.assertRaisesExactly(
            UserError, "“State” of Early-Warning Signal change only through its actions, which"
        ):
            signal.write({"state": "handled"})
        with self.assertRaisesExactly(
            UserError, "Give the reason for dismissing .* · Legal Representative Changed"
        ):
            signal.action_dismiss()  # no reason
        signal.action_acknowledge()
        action = signal.action_propose_classification()
        change = self.env["guarantee.risk.classification"].browse(action["res_id"])
        self.assertEqual((change.project_id, change.new_class, change.state),
                         (self.project, "special", "draft"))
        signal.action_handle()
        self.assertEqual(signal.state, "handled")
        self.assertFalse(signal.activity_ids, "handling closes the recipients' activities")

    def test_a_warning_is_born_new_and_never_made_new_again(self):
        """Issue 22, the declared state machine: a warning is not created closed nor with the
        identity of a fact the jobs raise (which would keep the job from warning), a copy
        starts new without what the system set, and a closed warning is reopened as
        acknowledged, never new."""
        Signal = self.env["guarantee.risk.signal"]
        values = {"project_id": self.project.id, "description": "涉诉", "severity": "high"}
        with self.assertRaisesExactly(
            UserError,
            r"^A Early-Warning Signal is created New; it becomes Handled only through its "
            r"actions\.$",
        ):
            Signal.with_user(self.risk).create(dict(values, state="handled"))
        with self.assertRaisesExactly(
            UserError,
            r"^“Provider Event ID” of Early-Warning Signal change only through its actions, "
            r"which check their conditions and record who and why\.$",
        ):
            Signal.sudo().create(dict(values, provider_event_id="share_filing:1"))
        signal = Signal.with_user(self.risk).create(values)
        self.assertEqual(signal.state, "new")
        signal.action_acknowledge()
        signal.action_propose_classification()
        signal.action_handle()
        self.assertTrue(signal.classification_id)
        name = re.escape(signal.display_name)
        for state, label in (("new", "New"), ("dismissed", "Dismissed")):
            with self.assertRaisesExactly(
                UserError, r"^%s is Handled and cannot become %s\.$" % (name, label)
            ):
                signal.sudo()._unlocked().write({"state": state})
        copy = signal.sudo().copy()
        self.assertEqual((copy.state, copy.classification_id.id), ("new", False))
        signal.action_reopen()
        self.assertEqual(signal.state, "acknowledged")
        signal.dismiss_reason = "已与法院核实，系同名企业"
        signal.action_dismiss()
        self.assertEqual(signal.state, "dismissed")


@tagged("post_install", "-at_install")
class TestEarlyWarningOnDemoData(TransactionCase):
    """The demo provider, rules and SMS gateway, on a demo customer in force."""

    def setUp(self):
        super().setUp()
        self.texts = []
        self.qcc = {"Name": "郑州恒泰建筑工程有限公司", "OperName": "赵国庆",
                    "RegistCapi": 50000000, "Address": "郑州市金水区", "Partners": ["赵国庆"],
                    "LawSuits": []}
        self.server = LocalServer(self._serve).start()
        self.addCleanup(self.server.stop)
        self.provider = self.env.ref("guarantee_risk.data_provider_qcc_demo")
        self.provider.write({"base_url": self.server.url + "/qcc", "backoff": 0.01})
        gateway = self.env.ref("guarantee_risk.sms_gateway_demo")
        gateway.write({"base_url": self.server.url + "/sms", "active": True})
        self.company = self.env.ref("base.demo_company_cn")
        # a demo customer of 张伟 still in force once every addon's demo data is loaded (the
        # accounting demo compensates some of them): he is the manager the rules tell
        self.project = self.env["guarantee.project"].search([
            ("state", "=", "active"), ("company_id", "=", self.company.id),
            ("partner_id.is_company", "=", True), ("partner_id.uscc", "!=", False),
            ("manager_id", "=", self.env.ref("guarantee_base.user_pm_zhang").id),
        ], limit=1)
        self.customer = self.project.partner_id
        self.qcc["Name"] = self.customer.name

    def _serve(self, method, path, headers, body):
        if path.startswith("/sms"):
            self.texts.append(json.loads(body))
            return 200, {"Content-Type": "application/json"}, b'{"status": "accepted"}'
        return 200, {"Content-Type": "application/json"}, json.dumps(self.qcc).encode()

    def test_legal_representative_change_and_new_lawsuit_warn_as_configured(self):
        partner = self.customer.with_company(self.company)
        partner._guarantee_watch(self.provider)
        self.qcc.update(OperName="钱多多", LawSuits=[
            {"id": "QCC-LS-1", "case_no": "（2026）豫01民初88号", "cause": "建设工程施工合同纠纷",
             "amount": 8600000, "date": "2026-07-01"},
        ])
        partner._guarantee_watch(self.provider)
        signals = self.env["guarantee.risk.signal"].search([
            ("partner_id", "=", self.customer.id), ("provider_id", "=", self.provider.id)])
        by_type = {signal.signal_type: signal for signal in signals}
        self.assertEqual(set(by_type), {"legal_rep_change", "lawsuit"})
        legal = by_type["legal_rep_change"]
        self.assertEqual(legal.rule_id, self.env.ref("guarantee_risk.warning_rule_legal_rep_demo"))
        self.assertEqual((legal.severity, legal.suggested_risk_class), ("high", "special"))
        self.assertEqual(legal.project_id, self.project)
        lawsuit = by_type["lawsuit"]
        self.assertEqual(lawsuit.rule_id,
                         self.env.ref("guarantee_risk.warning_rule_big_lawsuit_demo"))
        told = legal.activity_ids.mapped("user_id")
        for xmlid in ("user_pm_zhang", "user_risk_wang", "user_executive_zheng"):
            self.assertIn(self.env.ref("guarantee_base." + xmlid), told)
        numbers = {text["number"] for text in self.texts}
        self.assertLessEqual({"+8613900000001", "+8613900000003", "+8613900000008"}, numbers,
                             "the legal-representative rule also sends SMS")
        self.assertTrue(all("钱多多" in text["content"] for text in self.texts))
        self.assertTrue(self.env["mail.mail"].search([("model", "=", legal._name),
                                                      ("res_id", "in", signals.ids)]))
