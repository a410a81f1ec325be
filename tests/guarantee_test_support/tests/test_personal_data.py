"""ID numbers, phones and bank accounts over HTTP: masked in every answer, revealed (and logged)
only by the roles that work with customers."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
ACCOUNT = "6222020200112233445"


@tagged("post_install", "-at_install")
class TestPersonalData(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.env.company, (
            "pm1", "pm2", "risk", "committee1", "finance", "executive", "gadmin",
        ))
        pm1 = cls.env.ref("guarantee_base.user_pm_zhang")
        cls.person = cls.env["res.partner"].create({
            "name": "王建国",
            "is_company": False,
            "is_guarantee_customer": True,
            "uscc": ID_NUMBER,
            "mobile": PHONE,
            "user_id": pm1.id,
            "bank_ids": [Command.create({"acc_number": ACCOUNT})],
        })
        cls.project = cls._create_project(
            partner_id=cls.person.id, manager_id=pm1.id, assistant_id=cls.pm_b.id
        )
        cls.project._do_transition("accept")
        cls.project._do_transition("start_investigation")
        cls.project._do_transition("submit_review")  # the committee sees it

    def _assert_masked(self, text):
        self.assertNotIn(ID_NUMBER, text)
        self.assertNotIn(PHONE, text)
        self.assertNotIn(ACCOUNT, text)

    def test_lists_forms_and_exports_show_masked_values_to_every_role(self):
        for login in ("pm1", "risk", "committee1", "finance", "executive", "gadmin"):
            self.rpc_login(login)
            with self.subTest(role=login):
                texts = [
                    self.rpc("res.partner", "search_read", [("id", "=", self.person.id)],
                             fields=["uscc", "mobile", "phone", "bank_ids"])[0],
                    self.rpc("res.partner", "web_read", self.person.ids, specification={
                        "uscc": {}, "mobile": {}, "bank_ids": {"fields": {"acc_number": {}}},
                    })[0],
                    self.rpc("res.partner", "export_data", self.person.ids,
                             ["name", "uscc", "mobile", "bank_ids/acc_number"])[0],
                    self.rpc("res.partner.bank", "search_read",
                             [("partner_id", "=", self.person.id)], fields=["acc_number"])[0],
                    self.rpc("guarantee.project", "search_read", [("id", "=", self.project.id)],
                             fields=["partner_uscc"])[0],
                    self.rpc("guarantee.project", "export_data", self.project.ids,
                             ["name", "partner_uscc", "partner_id/uscc"])[0],
                ]
                self._assert_masked("\n".join(texts))
        self.rpc_login("risk")
        row = self.rpc_ok("res.partner", "search_read", [("id", "=", self.person.id)],
                          fields=["uscc", "mobile"])[0]
        self.assertEqual(row["uscc"], "110105********002X")
        self.assertEqual(row["mobile"], "138****5678")

    def test_a_reveal_gives_the_full_values_and_is_audited(self):
        self.rpc_login("pm1")
        values = self.rpc_ok("res.partner", "action_reveal_personal_data", self.person.ids)
        self.assertEqual(values["uscc"], ID_NUMBER)
        self.assertEqual(values["mobile"], PHONE)
        self.assertEqual(values["bank_accounts"], [ACCOUNT])
        log = self.env["auditlog.log"].search([
            ("model_id.model", "=", "res.partner"), ("res_id", "=", self.person.id),
            ("method", "=", "reveal"),
        ])
        self.assertEqual(log.user_id, self.env.ref("guarantee_base.user_pm_zhang"))

    def test_roles_without_the_need_cannot_reveal(self):
        for login in ("committee1", "pm2"):
            self.rpc_login(login)
            with self.subTest(role=login):
                text, _result, error = self.rpc(
                    "res.partner", "action_reveal_personal_data", self.person.ids
                )
                self.assertTrue(error)
                self._assert_masked(text)
        self.assertFalse(self.env["auditlog.log"].search([
            ("res_id", "=", self.person.id), ("method", "=", "reveal"),
        ]))
