"""Who reads a customer's data, model by model, asked over JSON-RPC as each demo role (issue 23).

A customer of 张伟 (pm1) whose project is under investigation (not under review). DESIGN: a
project manager sees their own customers and projects; the committee sees projects in review
(and the customer archive); risk, finance, executives and the administrator read everything.
Bank accounts follow their holder: before issue 23 any user listed every account.
"""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import ACCESS_ERROR, JsonRpcMixin, work_in_company

ROLES = ("pm1", "pm2", "risk", "committee1", "finance", "executive", "gadmin")
ACCOUNT = "6222020200556677889"
CUSTOMER_READERS = {"pm1", "risk", "committee1", "finance", "executive", "gadmin"}
PROJECT_READERS = {"pm1", "risk", "finance", "executive", "gadmin"}

# every model that holds this customer's data → the roles that may read it
READ_MATRIX = {
    "res.partner": CUSTOMER_READERS,
    "res.partner.bank": CUSTOMER_READERS,
    "guarantee.project": PROJECT_READERS,
    "guarantee.collateral": PROJECT_READERS,
    "guarantee.risk.signal": PROJECT_READERS,
    "guarantee.exposure": {"risk", "committee1", "finance", "executive", "gadmin"},
}


@tagged("post_install", "-at_install")
class TestPartnerDataMatrix(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.env.company, ROLES)
        pm1 = cls.env.ref("guarantee_base.user_pm_zhang")
        customer = cls.env["res.partner"].create({
            "name": "宁波账户机械有限公司",
            "is_company": True,
            "is_guarantee_customer": True,
            "uscc": cls._valid_uscc("330200", "BK000001"),
            "user_id": pm1.id,
            "bank_ids": [Command.create({"acc_number": ACCOUNT})],
        })
        project = cls._create_project(partner_id=customer.id, manager_id=pm1.id,
                                      assistant_id=cls.pm_b.id)
        project._do_transition("accept")
        project._do_transition("start_investigation")
        approved = cls._create_project(partner_id=customer.id, manager_id=pm1.id)
        approved._unlocked(history=True).write({"state": "approved"})
        cls.env["guarantee.exposure"]._refresh_partners(customer)
        cls.records = {
            "res.partner": customer,
            "res.partner.bank": customer.bank_ids,
            "guarantee.project": project,
            "guarantee.collateral": cls.env["guarantee.collateral"].create({
                "project_id": project.id, "name": "厂房抵押", "kind": "mortgage",
                "asset_type": "real_estate", "owner_id": customer.id,
                "appraised_value": 1000000,
            }),
            "guarantee.risk.signal": cls.env["guarantee.risk.signal"].create(
                {"project_id": project.id, "partner_id": customer.id, "description": "涉诉"}
            ),
            "guarantee.exposure": cls.env["guarantee.exposure"].search(
                [("partner_id", "=", customer.id)]
            ),
        }
        for model, record in cls.records.items():
            assert record, model

    def test_each_role_reads_a_customers_data_only_where_the_rules_allow(self):
        for login in ROLES:
            self.rpc_login(login)
            for model, readers in READ_MATRIX.items():
                records = self.records[model]
                with self.subTest(role=login, model=model):
                    text, found, _error = self.rpc(model, "search", [("id", "in", records.ids)])
                    if login in readers:
                        self.assertEqual(sorted(found), sorted(records.ids))
                        self.rpc_ok(model, "read", records.ids, ["display_name"])
                    else:
                        self.assertFalse(found)
                        self.rpc_denied(ACCESS_ERROR, model, "read", records.ids,
                                        ["display_name"])

    def test_a_project_manager_does_not_list_or_group_the_accounts_of_others_customers(self):
        self.rpc_login("pm2")
        account = self.records["res.partner.bank"]
        listed = self.rpc_ok("res.partner.bank", "search_read", [], ["partner_id", "acc_number"])
        self.assertNotIn(account.id, [row["id"] for row in listed])
        text, result, _error = self.rpc("res.partner.bank", "web_read_group", [],
                                        ["__count"], ["partner_id"])
        self.assertNotIn(self.records["res.partner"].name, text)
        text, _result, _error = self.rpc("res.partner.bank", "web_read_group", [],
                                         ["__count"], ["acc_number"])
        self.assertNotIn(ACCOUNT, text)
        self.assertNotIn(ACCOUNT[-4:], text)
        self.rpc_denied(ACCESS_ERROR, "res.partner.bank", "write", account.ids,
                        {"acc_number": "6222000000000000001"})
        account.invalidate_recordset()
        self.assertEqual(account.acc_number, ACCOUNT)
