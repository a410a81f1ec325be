"""ID numbers, phones and bank accounts over HTTP: masked in every answer (lists, forms, exports,
many2one labels, chatter tracking, exposure ledger), revealed (and logged) only by the roles that
work with customers; a role that may not reveal them cannot confirm a full value by searching
for it either."""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import ACCESS_ERROR, JsonRpcMixin, work_in_company

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
ACCOUNT = "6222020200112233445"
NEW_ID_NUMBER = "110105194912310038"
NEW_PHONE = "13987654321"
NEW_ACCOUNT = "6222020200998877665"
# what every answer shows instead: the region and the check character of the ID number, the
# first three and last four digits of the phone, the last four digits of the account
MASKED_ID_NUMBER = "110105********002X"
MASKED_PHONE = "138****5678"
MASKED_ACCOUNT = "***************3445"


@tagged("post_install", "-at_install")
class TestPersonalData(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = work_in_company(cls.env, cls.env.company, (
            "pm1", "pm2", "risk", "committee1", "finance", "executive", "gadmin",
        ))
        # the right to export, so that the exports below really run and are masked
        users.write({"groups_id": [Command.link(cls.env.ref("base.group_allow_export").id)]})
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
        cls.account = cls.person.bank_ids
        cls.bill = cls.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": cls.person.id,
            "partner_bank_id": cls.account.id,
        })

    def _assert_masked(self, text, values=(ID_NUMBER, PHONE, ACCOUNT)):
        for value in values:
            self.assertNotIn(value, text)

    def _answer(self, model, method, *args, shows=(), **kwargs):
        """The text of the answer to a call that must succeed and show the masked values
        ``shows`` (an answer that is an error would hide the full values too)."""
        text, _result, error = self.rpc(model, method, *args, **kwargs)
        self.assertFalse(error, "%s.%s failed: %s" % (model, method, text[:300]))
        for masked in shows:
            self.assertIn(masked, text, "%s.%s" % (model, method))
        return text

    def test_lists_forms_and_exports_show_masked_values_to_every_role(self):
        for login in ("pm1", "risk", "committee1", "finance", "executive", "gadmin"):
            self.rpc_login(login)
            with self.subTest(role=login):
                every = (MASKED_ID_NUMBER, MASKED_PHONE, MASKED_ACCOUNT)
                texts = [
                    self._answer("res.partner", "search_read", [("id", "=", self.person.id)],
                                 fields=["uscc", "mobile", "phone", "bank_ids"],
                                 shows=(MASKED_ID_NUMBER, MASKED_PHONE)),
                    self._answer("res.partner", "web_read", self.person.ids, specification={
                        "uscc": {}, "mobile": {}, "bank_ids": {"fields": {"acc_number": {}}},
                    }, shows=every),
                    self._answer("res.partner", "export_data", self.person.ids,
                                 ["name", "uscc", "mobile", "bank_ids/acc_number"], shows=every),
                    self._answer("res.partner.bank", "search_read",
                                 [("partner_id", "=", self.person.id)], fields=["acc_number"],
                                 shows=(MASKED_ACCOUNT,)),
                    self._answer("guarantee.project", "search_read",
                                 [("id", "=", self.project.id)], fields=["partner_uscc"],
                                 shows=(MASKED_ID_NUMBER,)),
                    self._answer("guarantee.project", "export_data", self.project.ids,
                                 ["name", "partner_uscc", "partner_id/uscc"],
                                 shows=(MASKED_ID_NUMBER,)),
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
                refusal = self.rpc_denied(
                    ACCESS_ERROR, "res.partner", "action_reveal_personal_data", self.person.ids
                )
                self._assert_masked(json.dumps(refusal, ensure_ascii=False))
        self.assertFalse(self.env["auditlog.log"].search([
            ("res_id", "=", self.person.id), ("method", "=", "reveal"),
        ]))

    def test_bank_account_labels_are_masked_wherever_an_account_is_linked(self):
        self.rpc_login("finance")
        texts = [
            self._answer("account.move", "read", self.bill.ids, ["partner_bank_id"],
                         shows=(MASKED_ACCOUNT,)),
            self._answer("account.move", "web_read", self.bill.ids, specification={
                "partner_bank_id": {"fields": {"display_name": {}}}}, shows=(MASKED_ACCOUNT,)),
            self._answer("account.move", "export_data", self.bill.ids,
                         ["partner_bank_id", "partner_bank_id/acc_number",
                          "partner_id/uscc", "partner_id/mobile"],
                         shows=(MASKED_ACCOUNT, MASKED_ID_NUMBER, MASKED_PHONE)),
            self._answer("res.partner.bank", "name_search", "", [("id", "=", self.account.id)],
                         shows=(MASKED_ACCOUNT,)),
            self._answer("res.partner.bank", "read", self.account.ids,
                         ["display_name", "sanitized_acc_number"], shows=(MASKED_ACCOUNT,)),
        ]
        self._assert_masked("\n".join(texts))
        label = self.rpc_ok("account.move", "read", self.bill.ids,
                            ["partner_bank_id"])[0]["partner_bank_id"][1]
        self.assertIn(ACCOUNT[-4:], label)
        # the company's own accounts are not personal data
        own = self.env["res.partner.bank"].create({
            "acc_number": "9558801234567890", "partner_id": self.env.company.partner_id.id})
        self.assertEqual(own.with_user(self.finance).display_name, "9558801234567890")

    def test_chatter_tracking_keeps_only_masked_values(self):
        self.rpc_login("pm1")
        self.rpc_ok("res.partner", "write", self.person.ids,
                    {"uscc": NEW_ID_NUMBER, "phone": NEW_PHONE})
        self.account.write({"acc_number": NEW_ACCOUNT})  # partner managers edit accounts
        trackings = self.env["mail.tracking.value"].sudo().search([
            ("mail_message_id.model", "=", "res.partner"),
            ("mail_message_id.res_id", "=", self.person.id),
        ])
        self.assertEqual(
            set(trackings.field_id.mapped("name")) & {"uscc", "phone", "acc_number"},
            {"uscc", "phone", "acc_number"},
        )
        stored = json.dumps(trackings.read(["old_value_char", "new_value_char"]))
        self._assert_masked(stored, (ID_NUMBER, NEW_ID_NUMBER, NEW_PHONE, ACCOUNT, NEW_ACCOUNT))
        self.assertIn("110105********0038", stored)
        self.assertIn("***************7665", stored)
        for login in ("pm1", "committee1"):
            self.rpc_login(login)
            response = self.url_open("/mail/thread/messages", data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1,
                "params": {"thread_model": "res.partner", "thread_id": self.person.id},
            }), headers={"Content-Type": "application/json"})
            with self.subTest(role=login):
                self.assertIn("result", response.json(), response.text[:300])
                self.assertTrue(response.json()["result"]["data"]["mail.message"])
                self._assert_masked(
                    response.text, (ID_NUMBER, NEW_ID_NUMBER, NEW_PHONE, ACCOUNT, NEW_ACCOUNT))

    def test_the_exposure_ledger_masks_the_borrower_key(self):
        approved = self._create_project(partner_id=self.person.id)
        approved._unlocked(history=True).write({"state": "approved"})  # a commitment in the ledger
        self.env["guarantee.exposure"]._refresh_partners(self.person)
        for login in ("risk", "committee1", "executive"):
            self.rpc_login(login)
            with self.subTest(role=login):
                text, rows, _error = self.rpc(
                    "guarantee.exposure", "search_read",
                    [("partner_id", "=", self.person.id)], fields=["borrower_key"])
                self.assertEqual({row["borrower_key"] for row in rows}, {MASKED_ID_NUMBER})
                self._assert_masked(text)
                self._assert_masked(self._answer(
                    "guarantee.exposure", "export_data", [row["id"] for row in rows],
                    ["borrower_key", "partner_id/uscc"], shows=(MASKED_ID_NUMBER,)))

    def test_a_role_that_may_not_reveal_cannot_confirm_a_value_by_searching(self):
        searches = [
            ("res.partner", [("uscc", "=", ID_NUMBER)]),
            ("res.partner", [("uscc", "ilike", ID_NUMBER[:12])]),
            ("res.partner", [("mobile", "=", PHONE)]),
            ("res.partner", [("phone_mobile_search", "=", PHONE)]),
            ("res.partner", [("bank_ids.acc_number", "=", ACCOUNT)]),
            ("res.partner.bank", [("acc_number", "=", ACCOUNT)]),
            ("guarantee.project", [("partner_uscc", "=", ID_NUMBER)]),
            ("guarantee.project", [("partner_id.mobile", "=", PHONE)]),
        ]
        for login, finds in (("committee1", False), ("pm1", True)):
            self.rpc_login(login)
            self.assertEqual(self.rpc_ok("guarantee.project", "search",
                                         [("id", "=", self.project.id)]), self.project.ids)
            for model, domain in searches:
                with self.subTest(role=login, domain=domain):
                    self.assertEqual(bool(self.rpc_ok(model, "search", domain)), finds)
            # nor by its negation (the person would be left out only when it matches)
            differs = [("id", "=", self.project.id), ("partner_uscc", "!=", ID_NUMBER)]
            self.assertEqual(bool(self.rpc_ok("guarantee.project", "search", differs)), not finds)
        # a company's USCC is public: the committee still finds the company by it
        self.rpc_login("committee1")
        self.assertEqual(
            self.rpc_ok("res.partner", "search", [("uscc", "=", self.customer.uscc)]),
            self.customer.ids,
        )
