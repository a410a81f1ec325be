"""Who may see what, asked over JSON-RPC through HTTP as each demo role (password = login).

The matrix below is the contract: for every record kind of one project, the roles that may read
it. A project of 张伟 (pm1) that is not under review: the other project manager (pm2) and the
committee must see nothing of it, not its history, documents, counter-guarantees, related-party
group, attachments or messages; risk, finance, executives and the guarantee administrator read
everything.
"""

import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import ACCESS_ERROR, JsonRpcMixin, work_in_company

ROLES = ("pm1", "pm2", "risk", "committee1", "finance", "executive", "gadmin")
EVERYONE_BUT_PM2_AND_COMMITTEE = {"pm1", "risk", "finance", "executive", "gadmin"}

# record key → roles that may read it (every other role must get nothing)
READ_MATRIX = {
    "project": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "state_log": EVERYONE_BUT_PM2_AND_COMMITTEE,
    "stage": EVERYONE_BUT_PM2_AND_COMMITTEE,
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
            "stage": cls.env["guarantee.project.stage"].search(
                [("project_id", "=", project.id)], limit=1),
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
                        self.rpc_denied(ACCESS_ERROR, record._name, "read", record.ids,
                                        ["display_name"])

    def test_each_role_writes_and_deletes_only_what_the_matrix_allows(self):
        for login in ROLES:
            self.rpc_login(login)
            for key, (values, writers) in WRITE_MATRIX.items():
                record = self.records[key]
                with self.subTest(role=login, record=key):
                    text, _result, error = self.rpc(record._name, "write", record.ids, values)
                    self.assertEqual(not error, login in writers, text[:300])
                    if login not in writers:
                        self.rpc_denied(ACCESS_ERROR, record._name, "unlink", record.ids)
                        self.assertTrue(record.exists())


# Who may do what with the contracts, money, collection and configuration records, as
# DESIGN.md's role table says. pm1 is the A-role of the records' project and pm2 is not on it:
# "pm1" in a set means "a project manager, on own projects". Administrators configure: they
# read the business records (as executives do) and change only the configuration.
READERS_OF_PROJECT_RECORDS = {"pm1", "risk", "finance", "executive", "gadmin"}
FINANCE_BOOKS = {"read": READERS_OF_PROJECT_RECORDS, "write": {"finance"},
                 "create": {"finance"}, "unlink": set()}
ADMIN_ONLY = {"gadmin"}
CONFIGURATION = {"read": set(ROLES), "write": ADMIN_ONLY, "create": ADMIN_ONLY,
                 "unlink": ADMIN_ONLY}
OPERATIONS_MATRIX = {
    "contract": {"read": READERS_OF_PROJECT_RECORDS, "write": {"pm1"}, "create": {"pm1"},
                 "unlink": {"pm1"}},
    "contract_template": CONFIGURATION,
    "fee": dict(FINANCE_BOOKS, unlink={"finance"}),
    "margin": dict(FINANCE_BOOKS, unlink={"finance"}),
    "compensation": FINANCE_BOOKS,
    "recovery": FINANCE_BOOKS,
    "loss": FINANCE_BOOKS,
    "payment_order": dict(FINANCE_BOOKS, read={"finance", "executive", "gadmin"}),
    "reserve_provision": {"read": {"finance", "executive", "gadmin"}, "write": set(),
                          "create": {"finance"}, "unlink": set()},
    "bank_connector": dict(CONFIGURATION, read={"finance", "executive", "gadmin"}),
    "risk_signal": {"read": READERS_OF_PROJECT_RECORDS, "write": {"risk", "finance"},
                    "create": {"pm1", "risk", "finance"}, "unlink": {"risk"}},
    "warning_rule": CONFIGURATION,
    "collection": {"read": READERS_OF_PROJECT_RECORDS, "write": {"risk", "finance"},
                   "create": set(), "unlink": set()},
    "collection_contact": {"read": READERS_OF_PROJECT_RECORDS, "write": set(), "create": set(),
                           "unlink": set()},
    "collection_step": CONFIGURATION,
    "data_provider": CONFIGURATION,
    "esign_provider": CONFIGURATION,
    "sms_gateway": dict(CONFIGURATION, read=ADMIN_ONLY),
}
# the credentials each connector keeps, and the values the test gives them
# who reads the records that hold credentials (every field but the credentials)
CREDENTIAL_READERS = {
    "bank_connector": {"finance", "executive", "gadmin"},
    "data_provider": {"risk", "finance", "executive", "gadmin"},
    "esign_provider": {"risk", "finance", "executive", "gadmin"},
    "sms_gateway": {"gadmin"},
}
SECRETS = {
    "bank_connector": {"username": "bank-user-s3cr3t", "secret": "bank-pass-s3cr3t",
                       "notification_secret": "bank-hmac-s3cr3t"},
    "data_provider": {"api_key": "provider-key-s3cr3t", "app_key": "provider-app-s3cr3t"},
    "esign_provider": {"api_key": "esign-key-s3cr3t", "callback_secret": "esign-cb-s3cr3t"},
    "sms_gateway": {"api_key": "sms-key-s3cr3t", "access_key_id": "sms-akid-s3cr3t"},
}


@tagged("post_install", "-at_install")
class TestOperationsAccessMatrix(GuaranteeCase, JsonRpcMixin, HttpCase):
    """The matrix above, over JSON-RPC as each demo login: a refused read, write or delete is
    really tried and must fail with an access error; an allowed one is asked of the server's
    access check (``check_access``, the ACLs and record rules every call goes through), so that
    the test changes nothing it is allowed to change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.env.company, ROLES)
        pm1 = cls.env.ref("guarantee_base.user_pm_zhang")
        cls.project = cls._create_project(manager_id=pm1.id, assistant_id=cls.pm_b.id)
        # in force with its loan, so that it may be compensated (a fixture: the history path)
        cls.project._unlocked(history=True).write({
            "state": "active", "loan_release_date": "2026-01-05",
            "loan_amount_released": cls.project.amount,
        })
        cls.records = cls._make_records(cls.project)
        for key in OPERATIONS_MATRIX:
            assert cls.records.get(key), key

    @classmethod
    def _make_records(cls, project):
        """One record of each kind, on pm1's project where it belongs to one."""
        env = cls.env
        on_project = {"project_id": project.id}
        template = env["guarantee.contract.template"].search([("kind", "=", "guarantee")], limit=1)
        connector = env["guarantee.bank.connector"].create(dict(
            SECRETS["bank_connector"], name="矩阵银行直连", protocol="rest",
            url="http://127.0.0.1:9/bank", account_number="12100101049999999",
            journal_id=env["account.journal"].search([
                ("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1).id,
        ))
        compensation = env["guarantee.compensation"].create(dict(
            on_project, demand_date="2026-03-01", principal=100000, interest=100))
        compensation._unlocked().write({"state": "approved"})  # what its approval does
        collection = env["guarantee.collection"].create(dict(
            on_project, name="矩阵催收", origin="bank", origin_ref="matrix:1",
            amount_due=1000, date_due="2026-03-01",
        ))
        return {
            "contract": env["guarantee.contract"].create(dict(
                on_project, template_id=template.id, kind=template.kind)),
            "contract_template": template,
            "fee": env["guarantee.fee"].create(dict(
                on_project, amount=1000, date_from="2026-01-01", date_to="2026-12-31",
                date_due="2026-03-01")),
            "margin": env["guarantee.margin"].create(dict(on_project, amount=1000)),
            "compensation": compensation,
            "recovery": env["guarantee.recovery"].create(dict(
                on_project, kind="cash", amount=100, payer_id=project.partner_id.id)),
            "loss": env["guarantee.loss"].create(dict(on_project, amount=100, reason="矩阵")),
            "payment_order": env["guarantee.payment.order"].create(dict(
                on_project, compensation_id=compensation.id,
                partner_id=compensation.project_id.creditor_id.id, amount=compensation.total)),
            "reserve_provision": env["guarantee.reserve.provision"].sudo()._unlocked().create({
                "company_id": env.company.id, "date_from": "2026-01-01", "date": "2026-01-31",
            }),
            "bank_connector": connector,
            "risk_signal": env["guarantee.risk.signal"].create(dict(
                on_project, description="矩阵预警")),
            "warning_rule": env["guarantee.warning.rule"].search([], limit=1),
            "collection": collection,
            "collection_contact": env["guarantee.collection.contact"].sudo().create({
                "collection_id": collection.id, "channel": "call", "state": "done",
            }),
            "collection_step": env["guarantee.collection.step"].search([], limit=1),
            "data_provider": env["guarantee.data.provider"].create(dict(
                SECRETS["data_provider"], name="矩阵数据", base_url="http://127.0.0.1:9/")),
            "esign_provider": env["guarantee.esign.provider"].create(dict(
                SECRETS["esign_provider"], name="矩阵签章", base_url="http://127.0.0.1:9/")),
            "sms_gateway": env["guarantee.sms.gateway"].create(dict(
                SECRETS["sms_gateway"], name="矩阵短信", base_url="http://127.0.0.1:9/")),
        }

    def _allowed(self, login, operation, key):
        """Whether ``login`` may do ``operation`` on the test's record of kind ``key`` (pm1
        owns its project, pm2 does not; before a record exists, "own" lets every project
        manager create: the record rules then refuse a colleague's project)."""
        if operation == "create" and login == "pm2":
            login = "pm1"
        return login in OPERATIONS_MATRIX[key][operation]

    def test_each_role_reads_exactly_what_the_matrix_allows(self):
        for login in ROLES:
            self.rpc_login(login)
            for key, record in self.records.items():
                with self.subTest(role=login, record=key):
                    _text, found, error = self.rpc(record._name, "search",
                                                   [("id", "=", record.id)])
                    if self._allowed(login, "read", key):
                        self.assertEqual(found, record.ids)
                        self.rpc_ok(record._name, "read", record.ids, ["display_name"])
                    else:
                        # nothing found, or no right to search that model at all
                        self.assertTrue(found == [] or error["data"]["name"].endswith(
                            "AccessError"))
                        self.rpc_denied(ACCESS_ERROR, record._name, "read", record.ids,
                                        ["display_name"])

    def test_each_role_writes_creates_and_deletes_only_what_the_matrix_allows(self):
        for login in ROLES:
            self.rpc_login(login)
            for key, record in self.records.items():
                for operation in ("write", "create", "unlink"):
                    with self.subTest(role=login, record=key, operation=operation):
                        self._check_operation(login, key, record, operation)
        for key, record in self.records.items():
            self.assertTrue(record.exists(), key)

    def _check_operation(self, login, key, record, operation):
        target = record.browse() if operation == "create" else record
        text, _result, error = self.rpc(record._name, "check_access", target.ids, operation)
        if self._allowed(login, operation, key):
            self.assertFalse(error, text[:300])
            return
        self.assertTrue(error, "%s may %s %s" % (login, operation, key))
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        if operation == "write":
            self.rpc_denied(ACCESS_ERROR, record._name, "write", record.ids,
                            self._harmless_change(record))
        elif operation == "unlink":
            self.rpc_denied(ACCESS_ERROR, record._name, "unlink", record.ids)

    @staticmethod
    def _harmless_change(record):
        """A value for one plain field of the record, for the write a role must not do."""
        candidates = [(name, "篡改") for name in ("name", "note", "description", "reference",
                                                 "reason", "message")]
        candidates.append(("date_due", "2026-04-01"))
        return dict([next(pair for pair in candidates if pair[0] in record._fields)])

    def test_a_project_manager_creates_only_on_own_projects(self):
        values = {
            "guarantee.contract": {"project_id": self.project.id,
                                   "template_id": self.records["contract_template"].id,
                                   "kind": self.records["contract_template"].kind},
            "guarantee.risk.signal": {"project_id": self.project.id, "description": "新预警"},
        }
        for login, allowed in (("pm2", False), ("pm1", True)):
            self.rpc_login(login)
            for model, vals in values.items():
                with self.subTest(role=login, model=model):
                    if allowed:
                        self.assertTrue(self.rpc_ok(model, "create", vals))
                    else:
                        self.rpc_denied(ACCESS_ERROR, model, "create", vals)

    def test_no_role_reads_a_credential_not_even_the_guarantee_administrator(self):
        # with the right to export, so that an export is refused for its fields, not for want
        # of that right
        self.env["res.users"].search([("login", "in", ROLES)]).write(
            {"groups_id": [Command.link(self.env.ref("base.group_allow_export").id)]})
        for login in ROLES:
            self.rpc_login(login)
            for key, secrets in SECRETS.items():
                record = self.records[key]
                with self.subTest(role=login, record=key):
                    self._check_credentials_of(login, key, record, secrets)

    def _check_credentials_of(self, login, key, record, secrets):
        """A role that reads the record gets it, without its credentials; the others are
        refused the record; no role reads or exports the credentials, the guarantee
        administrator included (they are for system administrators alone)."""
        texts = []
        for method, args in (("read", [record.ids]),
                             ("search_read", [[("id", "=", record.id)]])):
            text, rows, error = self.rpc(record._name, method, *args)
            texts.append(text)
            if login in CREDENTIAL_READERS[key]:
                self.assertFalse(error, text[:300])
                self.assertEqual([row["id"] for row in rows], record.ids, method)
            else:
                self.assertEqual(error["data"]["name"], ACCESS_ERROR, text[:300])
        for value in secrets.values():
            self.assertNotIn(value, "".join(texts))
        refusal = self.rpc_denied(ACCESS_ERROR, record._name, "export_data", record.ids,
                                  list(secrets))
        for value in secrets.values():
            self.assertNotIn(value, json.dumps(refusal, ensure_ascii=False))
