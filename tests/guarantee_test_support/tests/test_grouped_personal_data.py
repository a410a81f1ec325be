"""Grouping is a read path (issue 23): ID numbers, phones, sanitised phones, the exposure
ledger's borrower key and the project's applicant USCC stay masked in the values, labels and
domains of ``read_group``/``web_read_group``, for every role, including the roles that may reveal
them (a reveal is only the logged button); they can be counted, not aggregated."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
PHONE_SANITIZED = "+8613812345678"
MASKED_ID = "110105********002X"
MASKED_PHONE = "138****5678"


@tagged("post_install", "-at_install")
class TestGroupedPersonalData(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.env.company, ("pm1", "risk", "committee1", "executive"))
        pm1 = cls.env.ref("guarantee_base.user_pm_zhang")
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.person = cls.env["res.partner"].create({
            "name": "王建国",
            "is_company": False,
            "is_guarantee_customer": True,
            "uscc": ID_NUMBER,
            "mobile": PHONE,
            "phone": PHONE,
            "country_id": cls.env.ref("base.cn").id,
            "user_id": pm1.id,
        })
        cls.project = cls._create_project(
            partner_id=cls.person.id, manager_id=pm1.id, assistant_id=cls.pm_b.id
        )
        for step in ("accept", "start_investigation", "submit_review"):
            cls.project._do_transition(step)  # the committee sees it
        approved = cls._create_project(partner_id=cls.person.id, manager_id=pm1.id)
        approved._unlocked(history=True).write({"state": "approved"})  # a commitment in the ledger
        cls.env["guarantee.exposure"]._refresh_partners(cls.person)
        cls.reveals = cls.env["auditlog.log"].search_count([("method", "=", "reveal")])

    def _groups(self, model, domain, groupby, fields=("__count",)):
        text, result, error = self.rpc(
            model, "web_read_group", domain, list(fields), [groupby], lazy=True
        )
        self.assertFalse(error, text[:500])
        return text, result["groups"]

    def test_grouping_by_personal_data_shows_masked_labels_to_every_role(self):
        cases = [
            ("res.partner", [("id", "=", self.person.id)], "uscc", MASKED_ID),
            ("res.partner", [("id", "=", self.person.id)], "mobile", MASKED_PHONE),
            ("res.partner", [("id", "=", self.person.id)], "phone", MASKED_PHONE),
            ("res.partner", [("id", "=", self.person.id)], "phone_sanitized", "+861******5678"),
            ("guarantee.exposure", [("partner_id", "=", self.person.id)], "borrower_key",
             MASKED_ID),
            ("guarantee.project", [("id", "=", self.project.id)], "partner_uscc", MASKED_ID),
        ]
        for login in ("committee1", "risk", "executive", "pm1"):
            self.rpc_login(login)
            for model, domain, groupby, label in cases:
                if login == "pm1" and model == "guarantee.exposure":
                    continue  # the ledger is not a project manager's
                with self.subTest(role=login, model=model, groupby=groupby):
                    text, groups = self._groups(model, domain, groupby)
                    self.assertEqual([group[groupby] for group in groups], [label])
                    for value in (ID_NUMBER, PHONE, PHONE_SANITIZED, "13812345678"):
                        self.assertNotIn(value, text)
                    # the group still opens on its records
                    records = self.rpc_ok(model, "search", groups[0]["__domain"])
                    self.assertTrue(records)
        self.assertEqual(
            self.env["auditlog.log"].search_count([("method", "=", "reveal")]), self.reveals
        )

    def test_read_group_and_progress_bars_keep_values_masked(self):
        self.rpc_login("committee1")
        text, result, error = self.rpc(
            "res.partner", "read_group", [("id", "=", self.person.id)], ["__count"],
            ["uscc", "mobile"], lazy=False,
        )
        self.assertFalse(error, text[:500])
        self.assertEqual((result[0]["uscc"], result[0]["mobile"]), (MASKED_ID, MASKED_PHONE))
        self.assertNotIn(ID_NUMBER, text)
        self.assertNotIn(PHONE, text)
        bars = self.rpc_ok("res.partner", "read_progress_bar", [("id", "=", self.person.id)],
                           "uscc", {"field": "mobile", "colors": {PHONE: "success"}})
        self.assertNotIn(ID_NUMBER, json.dumps(bars))

    def test_personal_data_cannot_be_aggregated_into_values(self):
        for login in ("committee1", "risk"):
            self.rpc_login(login)
            for model, spec in (
                ("res.partner", "uscc:max"),
                ("res.partner", "first:min(mobile)"),
                ("res.partner", "phone_sanitized:array_agg"),
                ("guarantee.exposure", "borrower_key:max"),
                ("guarantee.project", "partner_uscc:max"),
            ):
                with self.subTest(role=login, spec=spec):
                    text, result, error = self.rpc(model, "read_group", [], [spec],
                                                   ["create_uid"])
                    self.assertIsNone(result)
                    self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
                    field = spec.split("(")[-1].rstrip(")") if "(" in spec else spec.split(":")[0]
                    self.assertEqual(error["data"]["message"],
                                     "个人信息（%s）在分组视图中只能计数，不能汇总。" % field)
                    self.assertNotIn(ID_NUMBER, text)
        text, result, _error = self.rpc("res.partner", "read_group", [("id", "=", self.person.id)],
                                        ["uscc:count_distinct"], ["create_uid"])
        self.assertEqual(result[0]["uscc"], 1)
