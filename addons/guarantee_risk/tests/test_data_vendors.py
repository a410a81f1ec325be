import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_platform.tests.fake_servers import KeepLocalTimeouts

from ..tools.data_vendor_adapters import capital_in_yuan, day, qcc_token
from .fake_vendors import FakeQichacha, FakeTianyancha

PROVIDER_LOGGER = "odoo.addons.guarantee_risk.models.guarantee_data_provider"


@tagged("post_install", "-at_install")
class TestDataVendors(KeepLocalTimeouts, GuaranteeCase):
    """企查查 and 天眼查 through their own open APIs (served on 127.0.0.1), mapped onto the
    kinds of data the warnings watch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env["guarantee.warning.rule"].create([{
            "name": name, "company_id": cls.company.id, "signal_type": signal_type,
            "severity": "high", "response_days": 2,
        } for name, signal_type in (("法人变更", "legal_rep_change"), ("失信", "dishonest"),
                                    ("诉讼", "lawsuit"), ("经营异常", "abnormal"))])
        # signals concern customers with a guarantee in force
        project = cls._create_project()
        project.write({"loan_release_date": "2026-01-05", "loan_amount_released": 1000000})
        project._unlocked(history=True)._do_transition("activate")

    def _provider(self, protocol, server, **values):
        provider = self.env["guarantee.data.provider"].create(dict({
            "name": protocol, "company_id": self.company.id, "protocol": protocol,
            "base_url": server.url, "timeout": 5.0, "max_retries": 1, "backoff": 0.01,
        }, **values))
        for kind in ("profile", "changes", "lawsuits", "enforcement", "abnormal", "tax"):
            self.env["guarantee.data.provider.endpoint"].create(
                {"provider_id": provider.id, "kind": kind})
        return provider

    def _signals(self):
        return self.env["guarantee.risk.signal"].search([("partner_id", "=", self.customer.id)])

    def _profile(self, provider):
        snapshot = self.env["guarantee.partner.profile"].search(
            [("partner_id", "=", self.customer.id), ("provider_id", "=", provider.id)])
        return json.loads(snapshot.data)

    def test_the_qichacha_token_is_md5_of_key_timespan_secret_in_capitals(self):
        # computed independently: printf 'AppKey0011700000000SecretKey001' | md5sum
        self.assertEqual(qcc_token("AppKey001", "1700000000", "SecretKey001"),
                         "7A277B7DEFAF596319F88F6B751BDDFB")

    def test_vendor_values_become_ours(self):
        self.assertEqual(capital_in_yuan("5000万元人民币"), 50000000.0)
        self.assertEqual(capital_in_yuan("1.2亿人民币"), 120000000.0)
        self.assertEqual(capital_in_yuan("300000"), 300000.0)
        self.assertEqual(day(1577836800000), "2020-01-01")
        self.assertEqual(day("2020-01-01 00:00:00"), "2020-01-01")

    def test_endpoints_default_to_the_vendor_paths(self):
        vendor = FakeQichacha()
        with vendor.server() as server:
            provider = self._provider("qichacha", server, app_key="AppKey001",
                                      api_key="SecretKey001")
        self.assertEqual(
            provider.endpoint_ids.filtered(lambda e: e.kind == "lawsuits").path,
            "/JudgeDocV4/SearchJudgmentDoc?searchKey={uscc}")

    def test_qichacha_profile_and_court_records_raise_warnings(self):
        vendor = FakeQichacha()
        vendor.results = {
            "/ECIV4/GetDetailsByName": {
                "Name": "无锡厂商测试有限公司", "OperName": "张三", "RegistCapi": "1000万元人民币",
                "Address": "无锡市新吴区1号", "Partners": [{"StockName": "张三"}]},
            "/CourtV4/SearchShiXin": [{"Id": "sx-001", "Anno": "(2026)苏02执123号",
                                       "Executegov": "无锡中院", "Executestatus": "全部未履行",
                                       "Publicdate": "2026-05-01"}],
        }
        with vendor.server() as server:
            provider = self._provider("qichacha", server, app_key="AppKey001",
                                      api_key="SecretKey001")
            checked, failed = provider._poll(self.customer)
            self.assertEqual((checked, failed), (self.customer, self.env["res.partner"]))
            profile = self._profile(provider)
            self.assertEqual((profile["legal_representative"], profile["registered_capital"],
                              profile["shareholders"], profile["tax_credit_grade"]),
                             ("张三", 10000000.0, ["张三"], None))
            self.assertEqual(self._signals().signal_type, "dishonest")
            vendor.results["/ECIV4/GetDetailsByName"]["OperName"] = "李四"
            vendor.results["/ECIChange/GetList"] = [{
                "ProjectName": "法定代表人变更", "BeforeContent": "张三", "AfterContent": "李四",
                "ChangeDate": "2026-06-30"}]
            provider._poll(self.customer)
            requests = server.requests
        change = self._signals().filtered(lambda s: s.signal_type == "legal_rep_change")
        self.assertEqual(len(change), 1, "the profile and the change record: one signal")
        self.assertEqual(change.date.isoformat(), "2026-06-30")
        self.assertTrue(all("key=AppKey001" in r["path"] for r in requests))
        self.assertEqual(len(requests), 14, "seven APIs (失信 beside 被执行人) twice")

    @mute_logger(PROVIDER_LOGGER)
    def test_qichacha_refusal_codes_leave_the_partner_for_the_next_round(self):
        vendor = FakeQichacha()
        vendor.status = "102"
        with vendor.server() as server:
            provider = self._provider("qichacha", server, app_key="AppKey001",
                                      api_key="SecretKey001")
            checked, failed = provider._poll(self.customer)
        self.assertEqual((checked, failed), (self.env["res.partner"], self.customer))
        log = provider.call_log_ids.filtered(lambda log: log.outcome == "error")
        self.assertEqual(len(log), 1, "a refusal is not retried")
        self.assertIn("企查查 102", log.message)
        self.assertNotIn("SecretKey001", log.message)

    @mute_logger(PROVIDER_LOGGER)
    def test_a_wrong_secret_is_refused_by_qichacha(self):
        with FakeQichacha().server() as server:
            provider = self._provider("qichacha", server, app_key="AppKey001",
                                      api_key="not-the-secret")
            _checked, failed = provider._poll(self.customer)
        self.assertEqual(failed, self.customer)
        self.assertIn("企查查 101", provider.call_log_ids.message)

    @mute_logger(PROVIDER_LOGGER)
    def test_a_provider_that_does_not_answer_in_time_is_asked_again_then_left(self):
        with FakeQichacha(hang=1.5).server() as server:
            provider = self._provider("qichacha", server, app_key="AppKey001",
                                      api_key="SecretKey001", timeout=0.5)
            _checked, failed = provider._poll(self.customer)
        self.assertEqual(failed, self.customer)
        self.assertEqual(sorted(provider.call_log_ids.mapped("outcome")), ["error", "retry"],
                         "a read is retried once after a time-out")

    def test_tianyancha_profile_changes_and_abnormal_operations(self):
        vendor = FakeTianyancha()
        base = "/services/open/"
        vendor.results = {
            base + "ic/baseinfoV2/2.0": {"name": "无锡厂商测试有限公司", "legalPersonName": "张三",
                                         "regCapital": "500万人民币", "regLocation": "无锡市"},
            base + "ic/holder/2.0": {"total": 1, "items": [{"name": "张三"}]},
            base + "m/taxCredit/2.0": {"total": 2, "items": [{"year": "2024", "grade": "B"},
                                                              {"year": "2025", "grade": "A"}]},
        }
        with vendor.server() as server:
            provider = self._provider("tianyancha", server, api_key=vendor.token)
            provider._poll(self.customer)
            profile = self._profile(provider)
            self.assertEqual((profile["registered_capital"], profile["shareholders"],
                              profile["tax_credit_grade"]), (5000000.0, ["张三"], "A"))
            self.assertFalse(self._signals(), "nothing open on the first look")
            vendor.results[base + "mr/abnormal/2.0"] = {"total": 1, "items": [{
                "putReason": "通过登记的住所或者经营场所无法联系的", "putDate": "2026-07-01",
                "putDepartment": "无锡市市场监督管理局"}]}
            vendor.busy = 1  # one "too frequent" answer: retried, not a failure
            checked, _failed = provider._poll(self.customer)
        self.assertEqual(checked, self.customer)
        signal = self._signals()
        self.assertEqual(signal.signal_type, "abnormal")
        self.assertEqual(signal.date.isoformat(), "2026-07-01")
        self.assertIn("retry", provider.call_log_ids.mapped("outcome"))
        self.assertTrue(all(r["headers"].get("Authorization") == vendor.token
                            for r in server.requests))

    @mute_logger(PROVIDER_LOGGER)
    def test_tianyancha_account_error_is_a_refusal(self):
        with FakeTianyancha().server() as server:
            provider = self._provider("tianyancha", server, api_key="expired-token")
            _checked, failed = provider._poll(self.customer)
        self.assertEqual(failed, self.customer)
        self.assertIn("天眼查 300002", provider.call_log_ids.message)
