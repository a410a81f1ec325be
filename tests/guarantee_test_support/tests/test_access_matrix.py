"""Who may see what, asked over JSON-RPC through HTTP as each demo role (password = login).

The matrix below is the contract: for every record kind of one project, the roles that may read
it. A project of 张伟 (pm1) that is not under review: the other project manager (pm2) and the
committee must see nothing of it, not its history, documents, counter-guarantees, related-party
group, attachments or messages; risk, finance, executives and the guarantee administrator read
everything.
"""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

ROLES = ("pm1", "pm2", "risk", "committee1", "finance", "executive", "gadmin")
EVERYONE_BUT_PM2_AND_COMMITTEE = {"pm1", "risk", "finance", "executive", "gadmin"}

# record key → roles that may read it (every other role must get nothing)
READ_MATRIX = {
    "project": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "state_log": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "related_group": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "document": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "collateral": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "risk_signal": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "attachment": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "message": EVERYONE_BUT_PM2_AND_COMMITTEE,
}
# record key → (values to write, roles that may write); unlink is refused to all of those too
WRITE_MATRIX = {
    "state_log": ({"note": "改写历史"}, set()),
    "related_group": ({"note": "篡改"}, {"pm1", "risk"}),
    "attachment": ({"name": "改名.pdf"}, {"pm1", "executive", "gadmin"}),
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.env.company, ROLES)
        pm1 = cls.env.ref("guarantee_base.user_pm_zhang")
        colleague = new_test_user(
            cls.env, "t_matrix_b", groups="guarantee_base.group_guarantee_project_manager"
        )
        customer = cls.env["res.partner"].create({
            "name": "宁波矩阵机械有限公司",
            "is_company": True,
            "is_guarantee_customer": True,
            "uscc": cls._valid_uscc("330200", "MX000001"),
            "user_id": pm1.id,
        })
        group = cls.env["guarantee.related.group"].create(
            {"name": "矩阵系", "partner_ids": [Command.link(customer.id)]}
        )
        project = cls._create_project(
            partner_id=customer.id, manager_id=pm1.id, assistant_id=colleague.id
        )
        project._do_transition("accept")
        project._do_transition("start_investigation")
        attachment = cls.env["ir.attachment"].create({
            "name": "财务报表.pdf", "raw": b"%PDF-1.4 statements",
            "res_model": "guarantee.project", "res_id": project.id,
        })
        message = project.message_post(body="尽调访谈纪要：实际控制人身份证号")
        collateral = cls.env["guarantee.collateral"].create({
            "project_id": project.id, "name": "厂房抵押", "kind": "mortgage",
            "asset_type": "real_estate", "owner_id": customer.id, "appraised_value": 1000000,
        })
        signal = cls.env["guarantee.risk.signal"].create(
            {"project_id": project.id, "description": "涉诉"}
        )
        cls.records = {
            "project": project,
            "state_log": project.state_log_ids[:1],
            "related_group": group,
            "document": project.document_ids[:1] or cls.env["guarantee.document"].create({
                "project_id": project.id,
                "document_type_id": cls.env["guarantee.document.type"].search([], limit=1).id,
            }),
            "collateral": collateral,
            "risk_signal": signal,
            "attachment": attachment,
            "message": message,
        }
        for key, record in cls.records.items():
            assert record, key

    def test_each_role_reads_exactly_what_the_matrix_allows(self):
        for login in ROLES:
            self.rpc_login(login)
            for key, readers in READ_MATRIX.items():
                record = self.records[key]
                with self.subTest(role=login, record=key):
                    found = self.rpc_ok(record._name, "search", [("id", "=", record.id)])
                    if login in readers:
                        self.assertEqual(found, record.ids)
                        self.rpc_ok(record._name, "read", record.ids, ["display_name"])
                    else:
                        self.assertEqual(found, [])
                        self.assertTrue(
                            self.rpc_denied(record._name, "read", record.ids, ["display_name"])
                        )

    def test_each_role_writes_and_deletes_only_what_the_matrix_allows(self):
        for login in ROLES:
            self.rpc_login(login)
            for key, (values, writers) in WRITE_MATRIX.items():
                record = self.records[key]
                with self.subTest(role=login, record=key):
                    text, _result, error = self.rpc(record._name, "write", record.ids, values)
                    self.assertEqual(not error, login in writers, text[:300])
                    if login not in writers:
                        self.assertTrue(self.rpc_denied(record._name, "unlink", record.ids))
                        self.assertTrue(record.exists())
