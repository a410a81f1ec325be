import base64

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_accounting.tests.common import GuaranteeAccountingCase

from .common import API_KEY, PartnerApiCalls

ROOT = "/api/guarantee/v1"


@tagged("post_install", "-at_install")
class TestPartnerApi(PartnerApiCalls, GuaranteeAccountingCase, HttpCase):
    """The partner API over real HTTP: every refusal answered with its status and nothing
    written, and the happy paths."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connector = cls._bank_notice_connector()
        cls.bank_key, cls.bank_secret = cls._new_key(
            name="测试银行接口", partner_id=cls.bank.id, partner_kind="bank",
            bank_connector_id=cls.connector.id, scope_applications=True,
            scope_bank_notices=True)
        cls.platform = cls.env["res.partner"].create({"name": "测试供应链平台", "is_company": True})
        cls.platform_key, cls.platform_secret = cls._new_key(
            name="测试平台接口", partner_id=cls.platform.id, partner_kind="platform",
            scope_applications=True)
        cls.other_bank = cls.env["res.partner"].create({"name": "其他银行", "is_company": True})
        cls.project = cls._project_in("active", released=800000.0)
        cls.other_project = cls._create_project(creditor_id=cls.other_bank.id)
        cls.fee = cls.env["guarantee.fee"].create({
            "project_id": cls.project.id, "date_from": "2026-01-01", "date_to": "2026-12-31",
            "date_due": "2026-01-10", "amount": 15000,
        })

    def _application(self, **overrides):
        """The shared application, with two typed documents."""
        documents = [
            {"name": "营业执照.pdf", "mimetype": "application/pdf",
             "content": base64.b64encode(b"%PDF-1.4 licence").decode()},
            {"name": "财务报表.pdf", "content": base64.b64encode(b"%PDF-1.4 books").decode()},
        ]
        return super()._application(**dict({"documents": documents}, **overrides))

    def _written(self):
        """What a refused write must leave untouched."""
        return (
            self.env["guarantee.project"].search_count([]),
            self.env["res.partner"].search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "guarantee.project")]),
            self.env["guarantee.connector.event"].search_count([("res_model", "=", API_KEY)]),
            self.env["guarantee.bank.notification"].search_count([]),
            self.env["guarantee.connector.event"].search_count([("res_model", "!=", API_KEY)]),
        )


    def assertError(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.json()["error"]["code"], code)

    # ------------------------------------------------------------------ refusals

    def test_wrong_missing_and_archived_keys_get_one_answer_and_write_nothing(self):
        before = self._written()
        archived, archived_secret = self._new_key(name="停用", partner_id=self.bank.id,
                                                  scope_applications=True)
        archived.active = False
        answers = [
            self._call("POST", "/applications", secret, self._application(), "K-401-%s" % i)
            for i, secret in enumerate([None, "gak_00000000_forged", archived_secret,
                                        self.bank_secret + "x"])
        ]
        for response in answers:
            self.assertError(response, 401, "unauthorized")
        self.assertEqual(len({response.text for response in answers}), 1,
                         "the answer must not tell which check failed")
        self.assertEqual(self._written(), before)
        log = self._last_log()
        self.assertEqual((log.status_code, log.res_id, log.partner_id),
                         (401, 0, self.env["res.partner"]))

    def test_a_replaced_key_stops_working(self):
        old_secret = self.bank_secret
        self.bank_key.action_generate_key()
        self.assertError(self._call("GET", "/projects", old_secret), 401, "unauthorized")

    def test_a_scope_not_granted_is_refused_and_nothing_written(self):
        before = self._written()
        response = self._call("POST", "/bank-notices", self.platform_secret, {
            "event_id": "E-SCOPE", "type": "repayment", "project": self.project.name,
            "amount": 100000}, "K-SCOPE")
        self.assertError(response, 403, "scope_denied")
        self.assertEqual(self._written(), before)
        self.assertEqual(self.project.principal_repaid, 0)
        self.bank_key.scope_projects = False
        self.assertError(self._call("GET", "/projects", self.bank_secret), 403, "scope_denied")

    def test_an_address_outside_the_allow_list_is_refused(self):
        self.bank_key.allowed_ips = "198.51.100.0/24"
        before = self._written()
        response = self._call("POST", "/applications", self.bank_secret, self._application(),
                              "K-IP")
        self.assertError(response, 403, "address_not_allowed")
        self.assertEqual(self._written(), before)
        self.bank_key.allowed_ips = "127.0.0.0/8"
        self.assertEqual(self._call("GET", "/projects", self.bank_secret).status_code, 200)

    def test_a_bad_allow_list_entry_is_refused_on_save(self):
        with self.assertRaisesExactly(
            ValidationError, r"内网 is neither an IP address nor a network \(CIDR\)"
        ):
            self.bank_key.allowed_ips = "10.0.0.0/8, 内网"

    def test_another_partners_project_reads_as_unknown(self):
        foreign = self._call("GET", "/projects/%s" % self.other_project.name, self.bank_secret)
        unknown = self._call("GET", "/projects/DB2099-99999", self.bank_secret)
        self.assertError(foreign, 404, "not_found")
        self.assertError(unknown, 404, "not_found")
        self.assertNotIn(self.other_project.name,
                         self._call("GET", "/projects?page_size=200", self.bank_secret).text)

    def test_malformed_json_is_refused_and_nothing_written(self):
        before = self._written()
        response = self._call("POST", "/applications", self.bank_secret, b'{"applicant": ',
                              "K-BAD-1")
        self.assertError(response, 400, "malformed_json")
        response = self._call("POST", "/applications", self.bank_secret, [1, 2], "K-BAD-2")
        self.assertError(response, 400, "malformed_json")
        self.assertEqual(self._written(), before)
        self.assertEqual(self._last_log().error_code, "malformed_json")

    def test_an_invalid_body_is_refused_with_422_and_nothing_written(self):
        before = self._written()
        response = self._call("POST", "/applications", self.bank_secret,
                              self._application(amount=-5), "K-422-1")
        self.assertError(response, 422, "invalid_body")
        self.assertIn("amount", response.json()["error"]["message"])
        bad_uscc = self._application(applicant={"name": "校验位错误公司",
                                                "uscc": "91330106A1P2I3K4X0"})
        response = self._call("POST", "/applications", self.bank_secret, bad_uscc, "K-422-2")
        self.assertError(response, 422, "invalid_identifier")
        response = self._call("POST", "/applications", self.bank_secret,
                              self._application(product_code="NOPE"), "K-422-3")
        self.assertError(response, 422, "unknown_product")
        self.assertEqual(self._written(), before)

    def test_an_oversize_document_is_refused_with_413_and_nothing_written(self):
        self.env["ir.config_parameter"].set_param("guarantee_api.max_document_bytes", "1000")
        before = self._written()
        big = self._application(documents=[
            {"name": "扫描件.pdf", "content": base64.b64encode(b"x" * 2000).decode()}])
        response = self._call("POST", "/applications", self.bank_secret, big, "K-413-1")
        self.assertError(response, 413, "document_too_large")
        self.env["ir.config_parameter"].set_param("guarantee_api.max_request_bytes", "200")
        response = self._call("POST", "/applications", self.bank_secret, self._application(),
                              "K-413-2")
        self.assertError(response, 413, "request_too_large")
        self.assertEqual(self._written(), before)

    def test_a_write_without_idempotency_key_is_refused(self):
        before = self._written()
        response = self._call("POST", "/applications", self.bank_secret, self._application())
        self.assertError(response, 400, "idempotency_key_required")
        self.assertEqual(self._written(), before)

    def test_a_replayed_idempotency_key_answers_once_and_another_body_conflicts(self):
        first = self._call("POST", "/applications", self.bank_secret, self._application(),
                           "K-ONCE")
        self.assertEqual(first.status_code, 201, first.text)
        after_first = self._written()
        again = self._call("POST", "/applications", self.bank_secret, self._application(),
                           "K-ONCE")
        self.assertEqual((again.status_code, again.json()), (201, first.json()))
        self.assertEqual(self._last_log().outcome, "duplicate")
        other = self._call("POST", "/applications", self.bank_secret,
                           self._application(amount=3000000), "K-ONCE")
        self.assertError(other, 409, "idempotency_conflict")
        self.assertEqual(self._written(), after_first, "nothing written twice")
        self.assertEqual(self.env["guarantee.project"].search_count(
            [("api_source_partner_id", "=", self.bank.id)]), 1)

    def test_the_rate_limit_answers_429(self):
        self.bank_key.rate_limit = 2
        for _i in range(2):
            self.assertEqual(self._call("GET", "/projects", self.bank_secret).status_code, 200)
        response = self._call("GET", "/projects", self.bank_secret)
        self.assertError(response, 429, "rate_limited")
        self.assertEqual(response.headers.get("Retry-After"), "60")
        self.assertEqual(self._call("GET", "/projects", self.platform_secret).status_code, 200,
                         "the limit is per key")

    # ------------------------------------------------------------------ happy paths

    def test_a_submitted_application_is_a_draft_project_with_its_documents(self):
        response = self._call("POST", "/applications", self.platform_secret,
                              self._application(), "K-NEW")
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        project = self.env["guarantee.project"].search([("name", "=", answer["project"])])
        self.assertEqual((answer["state"], project.state), ("draft", "draft"))
        self.assertEqual(project.api_source_partner_id, self.platform)
        self.assertEqual(project.manager_id, self.pm_a)
        self.assertEqual(project.amount, 2000000)
        self.assertEqual(project.partner_id.name, "接口申请科技有限公司")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "guarantee.project"), ("res_id", "=", project.id)])
        self.assertEqual(sorted(attachments.mapped("name")), ["营业执照.pdf", "财务报表.pdf"])
        self.assertEqual(attachments.filtered(lambda a: a.name == "营业执照.pdf").raw,
                         b"%PDF-1.4 licence")
        listed = self._call("GET", "/projects", self.platform_secret).json()
        self.assertEqual([item["name"] for item in listed["items"]], [project.name])
        log = self._last_log()
        self.assertEqual((log.res_id, log.status_code), (self.platform_key.id, 200))
        logged = " ".join(str(value) for value in log.read()[0].values())
        self.assertNotIn(self.platform_secret, logged, "the key is never logged")

    def test_a_second_application_reuses_the_known_customer(self):
        self._call("POST", "/applications", self.bank_secret, self._application(), "K-C1")
        customers = self.env["res.partner"].search_count([])
        response = self._call("POST", "/applications", self.bank_secret,
                              self._application(amount=500000), "K-C2")
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(self.env["res.partner"].search_count([]), customers)
        project = self.env["guarantee.project"].search([("name", "=",
                                                         response.json()["project"])])
        self.assertEqual(project.creditor_id, self.bank, "a bank's application names it")

    def test_a_project_reads_with_state_balance_and_fees(self):
        response = self._call("GET", "/projects/%s" % self.project.name, self.bank_secret)
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual(answer["state"], "active")
        self.assertEqual(answer["balance"], self.project.balance)
        self.assertEqual(answer["loan_amount_released"], 800000)
        self.assertEqual(answer["fees"], [{"date_due": "2026-01-10", "amount": 15000,
                                           "amount_paid": 0, "state": "due"}])
        self.assertEqual(answer["fees_due"], 15000)
        self.assertEqual((self._last_log().record_model, self._last_log().record_id),
                         ("guarantee.project", self.project.id))

    def test_the_list_is_paged(self):
        extra = self._create_project(amount=300000)
        first = self._call("GET", "/projects?page=1&page_size=1", self.bank_secret).json()
        second = self._call("GET", "/projects?page=2&page_size=1", self.bank_secret).json()
        self.assertEqual(first["total"], 2)
        self.assertEqual([first["items"][0]["name"], second["items"][0]["name"]],
                         [extra.name, self.project.name])
        for query in ("page=0", "page_size=201", "page=abc"):
            self.assertError(self._call("GET", "/projects?" + query, self.bank_secret), 422,
                             "invalid_paging")

    def test_a_bank_notice_is_applied_once(self):
        notice = {"event_id": "E-API-REP-1", "type": "repayment", "project": self.project.name,
                  "amount": 200000}
        first = self._call("POST", "/bank-notices", self.bank_secret, notice, "K-N1")
        self.assertEqual((first.status_code, first.json()["result"]), (200, "ok"), first.text)
        self.assertEqual(self.project.principal_repaid, 200000)
        replay = self._call("POST", "/bank-notices", self.bank_secret, notice, "K-N1")
        self.assertEqual(replay.json(), first.json())
        duplicate = self._call("POST", "/bank-notices", self.bank_secret, notice, "K-N2")
        self.assertEqual(duplicate.json()["result"], "duplicate")
        self.assertEqual(self.project.principal_repaid, 200000, "no second effect")
        self.assertEqual(self.env["guarantee.bank.notification"].search_count(
            [("event_id", "=", "E-API-REP-1")]), 1)

    def test_a_bank_notice_on_another_creditors_project_is_refused(self):
        before = self._written()
        response = self._call("POST", "/bank-notices", self.bank_secret, {
            "event_id": "E-FOREIGN", "type": "loan_released",
            "project": self.other_project.name, "date": "2026-02-01", "amount": 1},
            "K-N-FOREIGN")
        self.assertError(response, 403, "refused")
        self.assertEqual(self._written(), before)

    def test_an_incomplete_bank_notice_is_refused_and_nothing_written(self):
        before = self._written()
        response = self._call("POST", "/bank-notices", self.bank_secret, {
            "event_id": "E-INCOMPLETE", "type": "repayment", "project": self.project.name},
            "K-N-BAD")
        self.assertError(response, 422, "invalid_notice")
        self.assertEqual(self._written(), before)

    def test_the_openapi_document_is_served(self):
        response = self.url_open(ROOT + "/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertEqual(set(document["paths"]), {
            "/applications", "/projects", "/projects/{name}", "/bank-notices",
            "/sharing/projects", "/sharing/projects/{name}", "/sharing/claims",
            "/sharing/claims/{name}"})
        self.assertIn("Application", document["components"]["schemas"])
        self.assertIn("Applicant", document["components"]["schemas"])

    def test_the_key_is_kept_only_as_a_hash_and_shown_once(self):
        key = self.bank_key.sudo()
        self.assertNotIn(self.bank_secret, (key.key_hash, key.key_prefix))
        self.assertTrue(self.bank_secret.startswith("gak_%s_" % key.key_prefix))
        action = key.with_user(self.gadmin).action_generate_key()
        reveal = self.env["guarantee.api.key.reveal"].browse(action["res_id"])
        self.assertFalse(reveal.plain_key, "not readable without the dialog's context")
        self.assertEqual(reveal.with_context(**action["context"]).plain_key,
                         action["context"]["guarantee_api_plain_key"])

    def test_refusals_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["res.lang"]._activate_lang("en_US")
        response = self._call("GET", "/projects", "gak_nope", headers={
            "Accept-Language": "zh-CN"})
        self.assertError(response, 401, "unauthorized")
        self.assertEqual(response.json()["error"]["message"], "API 密钥缺失、未知或已被吊销。")
        response = self._call("GET", "/projects", "gak_nope", headers={
            "Accept-Language": "en-US"})
        self.assertEqual(response.json()["error"]["message"],
                         "The API key is missing, unknown or revoked.")

    def test_only_guarantee_admins_see_keys_and_calls(self):
        response = self._call("POST", "/applications", self.bank_secret, self._application(),
                              "K-ACL")
        self.assertEqual(response.status_code, 201, response.text)
        self.connector._connector_log(operation="status", outcome="ok")
        Log = self.env["guarantee.connector.call.log"]
        api_calls = [("res_model", "=", API_KEY)]
        self.assertTrue(Log.with_user(self.gadmin).search(api_calls))
        self.assertTrue(self.env["guarantee.api.key"].with_user(self.gadmin).search([]))
        for user in (self.pm_a, self.finance, self.executive):
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to access 'Partner API Key'"
            ):
                self.env["guarantee.api.key"].with_user(user).search([])
        # who reads the connectors' calls sees the bank connector's, no partner's
        for user in (self.finance, self.executive):
            self.assertFalse(Log.with_user(user).search(api_calls))
            self.assertTrue(Log.with_user(user).search([("res_model", "=", self.connector._name)]))
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to access 'Connector Call Log'"
        ):
            Log.with_user(self.pm_a).search([])
        Event = self.env["guarantee.connector.event"]
        self.assertTrue(Event.with_user(self.gadmin).search([("res_model", "=", API_KEY)]))
        self.assertFalse(Event.with_user(self.finance).search([("res_model", "=", API_KEY)]),
                         "nor the answers kept for a partner's writes")
