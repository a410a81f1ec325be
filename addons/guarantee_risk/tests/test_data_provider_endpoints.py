import json
from urllib.parse import unquote

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.guarantee_platform.tests.fake_servers import KeepLocalTimeouts, LocalServer

from .common import RiskCase

PROVIDER_LOGGER = "odoo.addons.guarantee_risk.models.guarantee_data_provider"


@tagged("post_install", "-at_install")
class TestDataProviderEndpoints(KeepLocalTimeouts, RiskCase):
    """A provider answering each kind of data at its own path, in its own shape (served on
    127.0.0.1), mapped onto our keys per endpoint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LocalServer(cls._serve).start()
        cls.addClassCleanup(cls.server.stop)
        cls.provider = cls.env["guarantee.data.provider"].create({
            "name": "分接口数据源",
            "company_id": cls.company.id,
            "base_url": cls.server.url + "/open",
            "api_key": "endpoint-key",
            "timeout": 10.0,
            "max_retries": 1,
            "backoff": 0.01,
            "endpoint_ids": [(0, 0, values) for values in (
                {"kind": "profile", "path": "/v2/basic/{uscc}", "field_mapping": json.dumps({
                    "name": "data.entName", "legal_representative": "data.legalPerson",
                    "registered_capital": "data.regCapital", "address": "data.address",
                    "shareholders": "data.partners"})},
                {"kind": "changes", "path": "/v2/changes/{uscc}",
                 "field_mapping": '{"changes": "items"}'},
                {"kind": "lawsuits", "path": "/v2/lawsuits/{uscc}",
                 "field_mapping": '{"lawsuits": "."}'},
                {"kind": "enforcement", "path": "/v2/zhixing/{uscc}",
                 "field_mapping": '{"enforcements": "zhixing", "dishonest": "shixin"}'},
                {"kind": "penalties"},
                {"kind": "abnormal"},
                {"kind": "tax", "path": "/v2/tax/{uscc}",
                 "field_mapping": '{"tax_credit_grade": "grade"}'},
            )],
        })
        cls.env["guarantee.warning.rule"].create([{
            "name": name, "company_id": cls.company.id, "signal_type": signal_type,
            "severity": "high", "response_days": 2,
        } for name, signal_type in (("法人变更", "legal_rep_change"), ("失信", "dishonest"),
                                    ("诉讼", "lawsuit"), ("纳税等级", "tax_grade"))])
        cls.customer = cls._company_partner("苏州分接口测试有限公司")
        cls.project = cls._in_force(cls.customer, 2000000)

    def setUp(self):
        super().setUp()
        type(self).failing = set()
        type(self).data = {
            "basic": {"data": {"entName": "苏州分接口测试有限公司", "legalPerson": "张三",
                               "regCapital": "10000000", "address": "苏州市工业园区星湖街1号",
                               "partners": [{"name": "张三"}]}},
            "changes": {"items": [{"id": "BG-0", "field": "注册资本", "before": "500万",
                                   "after": 10000000, "date": "2020-01-01"}]},
            "lawsuits": [],
            "zhixing": {"zhixing": [], "shixin": [{"id": "SX-9", "court": "苏州中院"}]},
            "penalties": {"penalties": []},
            "abnormal-operations": {"abnormal_operations": []},
            "tax": {"grade": "A"},
        }

    @classmethod
    def _serve(cls, method, path, headers, body):
        parts = path.split("/")  # "", "open", "v2", kind, uscc  /  "", "open", "companies", ...
        kind = parts[3] if parts[2] == "v2" else parts[4]
        if kind in cls.failing:
            return 500, {}, b"down"
        return 200, {"Content-Type": "application/json"}, json.dumps(cls.data[kind]).encode()

    def _signals(self):
        return self.env["guarantee.risk.signal"].search([("partner_id", "=", self.customer.id)])

    def _poll(self):
        return self.customer._guarantee_watch(self.provider)

    def test_each_kind_is_asked_at_its_path(self):
        self._poll()
        uscc = self.customer.uscc
        paths = sorted(unquote(r["path"]) for r in self.server.requests[-7:])
        self.assertEqual(paths, sorted("/open" + p.replace("{uscc}", uscc) for p in (
            "/v2/basic/{uscc}", "/v2/changes/{uscc}", "/v2/lawsuits/{uscc}",
            "/v2/zhixing/{uscc}", "/companies/{uscc}/penalties",
            "/companies/{uscc}/abnormal-operations", "/v2/tax/{uscc}",
        )), "custom paths, and the default path of a kind given without one")
        self.assertTrue(all(r["headers"].get("Authorization") == "Bearer endpoint-key"
                            for r in self.server.requests))
        self.assertEqual(self._signals().signal_type, "dishonest",
                         "first look: the open 失信 record only, no change history")
        snapshot = self.env["guarantee.partner.profile"].search(
            [("partner_id", "=", self.customer.id)])
        profile = json.loads(snapshot.data)
        self.assertEqual((profile["legal_representative"], profile["registered_capital"],
                          profile["tax_credit_grade"]), ("张三", 10000000.0, "A"))

    def test_changes_from_every_endpoint_are_signalled_once(self):
        self._poll()
        first = self._signals()
        self.data["basic"]["data"]["legalPerson"] = "王五"
        self.data["changes"]["items"].append({"id": "BG-1", "field": "法定代表人",
                                              "before": "张三", "after": "王五",
                                              "date": "2026-07-01"})
        self.data["lawsuits"] = [{"id": "LS-77", "cause": "借款合同纠纷", "amount": 300000}]
        self.data["tax"]["grade"] = "C"
        self._poll()
        new = self._signals() - first
        self.assertEqual(sorted(new.mapped("signal_type")),
                         ["lawsuit", "legal_rep_change", "tax_grade"],
                         "the profile and the change record report one change, one signal")
        self.assertEqual(new.filtered(lambda s: s.signal_type == "legal_rep_change").date
                         .isoformat(), "2026-07-01")
        self._poll()
        self.assertEqual(self._signals(), first | new)

    @mute_logger(PROVIDER_LOGGER)
    def test_a_failing_endpoint_leaves_the_whole_profile_for_the_next_round(self):
        self._poll()
        self.data["basic"]["data"]["legalPerson"] = "王五"
        type(self).failing = {"lawsuits"}
        checked, failed = self._poll()
        self.assertEqual((checked, failed), (self.env["res.partner"], self.customer))
        self.assertFalse(self._signals().filtered(lambda s: s.signal_type == "legal_rep_change"))
        logs = self.provider.call_log_ids.filtered(lambda log: log.operation == "company_lawsuits")
        self.assertEqual(sorted(logs.mapped("outcome")), ["error", "ok", "retry"])
        type(self).failing = set()
        self._poll()
        self.assertTrue(self._signals().filtered(lambda s: s.signal_type == "legal_rep_change"))

    def test_bad_endpoint_configuration_is_refused(self):
        Endpoint = self.env["guarantee.data.provider.endpoint"]
        provider = self.provider.copy({"endpoint_ids": []})
        with self.assertRaisesExactly(
            ValidationError, r"The path of an endpoint starts with / and contains \{uscc\}, where"
        ):
            Endpoint.create({"provider_id": provider.id, "kind": "lawsuits",
                             "path": "/v2/lawsuits"})
        with self.assertRaisesExactly(
            ValidationError, "The field mapping of 分接口数据源 must be a JSON object from our keys"
        ):
            Endpoint.create({"provider_id": provider.id, "kind": "tax",
                             "field_mapping": '{"lawsuits": "grade"}'})
        endpoint = Endpoint.create({"provider_id": provider.id, "kind": "enforcement"})
        self.assertEqual(endpoint.path, "/companies/{uscc}/enforcements")
