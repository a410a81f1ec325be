"""The holes of issue 23 in the partner API, each over real HTTP: the answer, its log line,
and nothing else written (projects, partners, attachments, idempotency keys, notifications,
events, messages, activities, the next project number)."""

import base64
import json
import logging
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.guarantee_api.routers.partner_api import PartnerCall

from .common import PDF, ROOT, PartnerApiCase

ROUTER_LOGGER = "odoo.addons.guarantee_api.routers.partner_api"


@tagged("post_install", "-at_install")
class TestPartnerApiInput(PartnerApiCase):
    """The API never tells whether a USCC / ID number is a customer's; numbers, text, nesting
    and pages out of bounds are refused, answered, logged; nothing written; never a 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a customer of the company the platform never applied for, managed by pm_b
        cls.stranger = cls.env["res.partner"].create({
            "name": "真实客户股份有限公司", "is_company": True, "is_guarantee_customer": True,
            "uscc": cls._valid_uscc("330106", "T1A2R3G4"), "user_id": cls.pm_b.id,
        })
        cls.person = cls.env["res.partner"].create({
            "name": "张三", "is_company": False, "is_guarantee_customer": True,
            "uscc": "11010519491231002X", "user_id": cls.pm_b.id,
        })

    # ------------------------------------------------------------------ customers

    def _apply_for(self, uscc, name, secret=None, is_company=True, idempotency="K-M"):
        return self._call("POST", "/applications", secret or self.platform_secret,
                          self._application(applicant={"name": name, "uscc": uscc,
                                                       "is_company": is_company}),
                          idempotency)

    def test_an_existing_customers_number_is_held_and_reveals_nothing(self):
        new = self._apply_for(self._valid_uscc("330106", "N1E2W3C4"), "某新公司", idempotency="K-1")
        held = self._apply_for(self.stranger.uscc, "随便写的名字", idempotency="K-2")
        person = self._apply_for(self.person.uscc, "李四", is_company=False, idempotency="K-3")
        for response in (new, held, person):
            self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual({key: value for key, value in held.json().items() if key != "project"},
                         {key: value for key, value in new.json().items() if key != "project"},
                         "the answer is the same whether the number is a customer's or not")
        project = self.env["guarantee.project"].search([("name", "=", held.json()["project"])])
        read = self._call("GET", "/projects/%s" % project.name, self.platform_secret).json()
        self.assertEqual(read["applicant"], "随便写的名字", "the name sent, not the customer's")
        listed = self._call("GET", "/projects?page_size=200", self.platform_secret).text
        self.assertNotIn(self.stranger.name, listed)
        self.assertNotIn(self.person.name, listed)
        # held: the customer's own manager, never the key's responsible user (pm_a)
        self.assertEqual((project.partner_id, project.manager_id), (self.stranger, self.pm_b))
        self.assertTrue(project.api_applicant_unverified)
        self.assertEqual(project.activity_ids.user_id, self.pm_b)
        with self.assertRaisesRegex(AccessError, "doesn't have 'read' access"):
            self.stranger.with_user(self.pm_a).check_access("read")
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d+:\n - The creditor bank is missing\.\n - "
            r"测试供应链平台 applied for an existing customer it had not applied for before: the "
            r"A-role confirms with the customer that 测试供应链平台 acts for it \(Confirm "
            r"Applicant\), or cancels the application\.$",
        ):
            project.with_user(self.pm_b).action_accept()

    def test_the_a_role_confirms_and_the_next_application_is_matched(self):
        held = self._apply_for(self.stranger.uscc, "真实客户", idempotency="K-4")
        project = self.env["guarantee.project"].search([("name", "=", held.json()["project"])])
        with self.assertRaisesExactly(
            UserError,
            r"^Only the A-role of DB\d{4}-\d+ confirms its applicant\.$",
        ):
            project.with_user(self.gadmin).action_api_confirm_applicant()
        with self.assertRaisesExactly(
            UserError,
            r"^“Applicant to Verify” of Guarantee Project change only through its actions, which "
            r"check their conditions and record who and why\.$",
        ):
            project.with_user(self.pm_b).write({"api_applicant_unverified": False})
        project.with_user(self.pm_b).action_api_confirm_applicant()
        self.assertFalse(project.api_applicant_unverified)
        second = self._apply_for(self.stranger.uscc, "真实客户", idempotency="K-5")
        matched = self.env["guarantee.project"].search([("name", "=", second.json()["project"])])
        self.assertEqual((matched.partner_id, matched.manager_id, matched.api_applicant_unverified),
                         (self.stranger, self.pm_a, False))

    def test_a_bank_creditor_of_the_customers_project_is_matched(self):
        response = self._apply_for(self.customer.uscc, "测试机械", secret=self.bank_secret,
                                   idempotency="K-6")
        project = self.env["guarantee.project"].search([("name", "=", response.json()["project"])])
        self.assertEqual((project.partner_id, project.api_applicant_unverified),
                         (self.customer, False), "the bank is the creditor of self.project")

    def test_blank_identifiers_are_refused_and_nothing_written(self):
        self.env["res.partner"].create({"name": "无证照合作方", "is_company": True})
        before = self._written()
        for index, uscc in enumerate([" " * 18, "-" * 18, "- " * 9]):
            response = self._apply_for(uscc, "空白号码", idempotency="K-B%s" % index)
            self.assertError(response, 422, "invalid_identifier")
        response = self._call("POST", "/applications", self.platform_secret, self._application(
            creditor_uscc=" " * 18), "K-B-CRED")
        self.assertError(response, 422, "unknown_creditor")
        self.assertOnlyLogged(before, api_calls=4)

    def test_the_creditor_is_one_of_the_keys_lending_banks(self):
        before = self._written()
        for index, uscc in enumerate([self.customer.uscc, self.bank.uscc]):
            response = self._call("POST", "/applications", self.platform_secret,
                                  self._application(creditor_uscc=uscc), "K-C%s" % index)
            self.assertError(response, 422, "unknown_creditor")
        self.assertOnlyLogged(before, api_calls=2)
        response = self._call("POST", "/applications", self.platform_secret,
                              self._application(creditor_uscc=self.lending_bank.uscc), "K-C9")
        self.assertEqual(response.status_code, 201, response.text)
        project = self.env["guarantee.project"].search([("name", "=", response.json()["project"])])
        self.assertEqual(project.creditor_id, self.lending_bank)
        with self.assertRaisesExactly(
            ValidationError,
            r"^测试机械有限公司 cannot lend: a lending bank is a company and not a guarantee "
            r"customer\.$",
        ):
            self.platform_key.creditor_ids = [(4, self.customer.id)]

    def test_only_the_api_records_who_submitted(self):
        with self.assertRaisesExactly(
            UserError,
            r"^Only the partner API records who submitted an application\.$",
        ):
            self._create_project(api_source_partner_id=self.platform.id)
        with self.assertRaisesExactly(
            UserError,
            r"^“Submitted Through API By” of Guarantee Project change only through its actions, "
            r"which check their conditions and record who and why\.$",
        ):
            self.project.write({"api_source_partner_id": self.platform.id})


    # ------------------------------------------------------------------ bounds

    def _post_raw(self, raw, path="/applications", idempotency="K-RAW"):
        return self._call("POST", path, self.bank_secret, raw, idempotency)

    def _application_text(self, **replacements):
        """The default application as JSON text, with placeholders replaced verbatim."""
        text = json.dumps(self._application(amount="@AMOUNT@", term_months="@TERM@"),
                          ensure_ascii=False)
        for name, value in dict({"AMOUNT": "2000000", "TERM": "12"}, **replacements).items():
            text = text.replace('"@%s@"' % name, value)
        return text.encode()

    def test_non_finite_and_huge_numbers_are_refused(self):
        before = self._written()
        for index, amount in enumerate(["NaN", "Infinity", "-Infinity", "1e309",
                                        "100000000000000000000"]):
            response = self._post_raw(self._application_text(AMOUNT=amount),
                                      idempotency="K-N%s" % index)
            self.assertError(response, 400, "malformed_json")
        response = self._call("POST", "/applications", self.bank_secret,
                              self._application(amount=1e300), "K-N-1e300")
        self.assertError(response, 422, "invalid_body")
        self.assertIn("amount: must be <= 100000000000", response.json()["error"]["message"])
        self.assertOnlyLogged(before, api_calls=6)

    def test_a_configured_maximum_amount_applies(self):
        self.env["ir.config_parameter"].set_param(
            "guarantee_platform.inbound_max_amount", "5000000"
        )
        response = self._call("POST", "/applications", self.bank_secret,
                              self._application(amount=5000000.01), "K-MAX-1")
        self.assertError(response, 422, "invalid_body")
        response = self._call("POST", "/applications", self.bank_secret,
                              self._application(amount=5000000), "K-MAX-2")
        self.assertEqual(response.status_code, 201, response.text)

    def test_booleans_and_fractions_are_not_terms_or_amounts(self):
        before = self._written()
        cases = {"term_months": [True, 12.5, "12", 0, 601], "amount": [True, "2000000", 0]}
        index = 0
        for field, values in cases.items():
            for value in values:
                index += 1
                response = self._call("POST", "/applications", self.bank_secret,
                                      self._application(**{field: value}), "K-T%s" % index)
                self.assertError(response, 422, "invalid_body")
                self.assertTrue(response.json()["error"]["message"].startswith(field),
                                response.text)
        response = self._call("POST", "/applications", self.bank_secret, self._application(
            applicant={"name": "布尔公司", "uscc": self._valid_uscc("330106", "A1P2B3K4"),
                       "is_company": 1}), "K-T-BOOL")
        self.assertError(response, 422, "invalid_body")
        self.assertOnlyLogged(before, api_calls=index + 1)

    def test_deep_nesting_is_refused(self):
        before = self._written()
        for index, depth in enumerate([1000, 100000, 21]):
            raw = b'{"purpose": ' + b"[" * depth + b"]" * depth + b"}"
            response = self._post_raw(raw, idempotency="K-D%s" % index)
            self.assertError(response, 400, "malformed_json")
            self.assertIn("nested too deep", response.json()["error"]["message"])
        raw = b'{"event_id": "E-DEEP", "x": ' + b"{\"a\": " * 1000 + b"1" + b"}" * 1000 + b"}"
        self.assertError(self._post_raw(raw, "/bank-notices", "K-D-N"), 400, "malformed_json")
        self.assertOnlyLogged(before, api_calls=4)

    def test_a_page_beyond_bigint_is_refused(self):
        before = self._written()
        for query in ("page=99999999999999999999", "page_size=99999999999999999999",
                      "page=100001", "page=-1", "page=1e3", "page=%EF%BC%91"):
            response = self._call("GET", "/projects?" + query, self.bank_secret)
            self.assertError(response, 422, "invalid_paging")
        self.assertOnlyLogged(before, api_calls=6)
        last = self._call("GET", "/projects?page=100000&page_size=200", self.bank_secret)
        self.assertEqual((last.status_code, last.json()["items"]), (200, []))

    def test_a_lone_surrogate_or_a_nul_in_a_name_is_refused(self):
        before = self._written()
        application = json.dumps(self._application(applicant={
            "name": "@NAME@", "uscc": self._valid_uscc("330106", "A1P2B3K4")}))
        names = ['"\\ud800"', '"a\\u0000b"', '"a\\u001bb"', '"\\udfff\\ud800"']
        for index, name in enumerate(names):
            raw = application.replace('"@NAME@"', name).encode()
            response = self._post_raw(raw, idempotency="K-S%s" % index)
            self.assertError(response, 400, "malformed_json")
        response = self._post_raw(b'{"applicant": "\xff\xfe"}', idempotency="K-S-UTF8")
        self.assertError(response, 400, "malformed_json")
        response = self._call("POST", "/applications", self.bank_secret, self._application(
            applicant={"name": "两行\n名字", "uscc": self._valid_uscc("330106", "A1P2B3K4")}),
            "K-S-LINE")
        self.assertError(response, 422, "invalid_body")
        self.assertError(self._call("GET", "/projects/DB%00", self.bank_secret), 404,
                         "not_found")
        self.assertError(self._call("GET", "/projects/%ED%A0%80", self.bank_secret), 404,
                         "not_found")
        self.assertOnlyLogged(before, api_calls=8)

    def test_an_idempotency_key_with_control_characters_is_refused(self):
        before = self._written()
        for key in ["K\x01", "K" * 129, "\u4e2d"]:
            response = self._call("POST", "/applications", self.bank_secret,
                                  self._application(), headers={
                                      "Idempotency-Key": key.encode("utf-8").decode("latin-1")})
            self.assertError(response, 400, "idempotency_key_required")
        self.assertOnlyLogged(before, api_calls=3)

    def test_refused_calls_do_not_use_project_numbers(self):
        before = self._written()
        refused = [
            self._application(applicant={"name": "校验位错", "uscc": "91330106A1P2I3K4X0"}),
            self._application(creditor_uscc=self.customer.uscc),
            self._application(product_code="NOPE"),
            self._application(date_start="9999-12-01"),
            self._application(documents=[{"name": "a.html", "content": base64.b64encode(
                b"<html><script>alert(1)</script></html>").decode()}]),
        ]
        for index, body in enumerate(refused):
            response = self._call("POST", "/applications", self.platform_secret, body,
                                  "K-SEQ-%s" % index)
            self.assertEqual(response.status_code, 422, response.text)
        self.assertOnlyLogged(before, api_calls=len(refused))
        accepted = self._call("POST", "/applications", self.platform_secret,
                              self._application(), "K-SEQ-OK")
        self.assertEqual(accepted.json()["project"][-5:],
                         "%05d" % before["next_project_number"], "the very next number")

    def test_document_types_are_read_from_the_content(self):
        before = self._written()
        html = base64.b64encode(b"<html><body onload=alert(1)>").decode()
        response = self._call("POST", "/applications", self.bank_secret, self._application(
            documents=[{"name": "营业执照.pdf", "mimetype": "application/pdf", "content": html}]),
            "K-DOC-1")
        self.assertError(response, 422, "document_type_not_allowed")
        self.assertOnlyLogged(before, api_calls=1)
        response = self._call("POST", "/applications", self.bank_secret, self._application(
            documents=[{"name": "扫描件", "mimetype": "text/html",
                        "content": base64.b64encode(PDF).decode()}]), "K-DOC-2")
        self.assertEqual(response.status_code, 201, response.text)
        project = self.env["guarantee.project"].search([("name", "=", response.json()["project"])])
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "guarantee.project"), ("res_id", "=", project.id)])
        self.assertEqual(attachment.mimetype, "application/pdf", "the caller's type is ignored")

    def test_a_business_refusal_of_a_bank_notice_is_answered_422(self):
        before = self._written()
        response = self._call("POST", "/bank-notices", self.bank_secret, {
            "event_id": "E-ACTIVE", "type": "loan_released", "project": self.project.name,
            "date": "2026-02-01", "amount": 1000}, "K-BN-1")
        self.assertError(response, 422, "refused")
        self.assertIn("can become In Force only from", response.json()["error"]["message"])
        self.assertOnlyLogged(before, api_calls=1)

    def test_bank_notice_values_out_of_bounds_are_refused(self):
        before = self._written()
        notices = [
            {"type": "repayment", "amount": "NaN"},
            {"type": "repayment", "amount": 1e300},
            {"type": "repayment", "amount": True},
            {"type": "overdue", "date": "2026-08-15", "days_overdue": 10**12},
            {"type": "overdue", "date": "2026-08-15", "days_overdue": "4.5"},
            {"type": "overdue", "date": "0001-01-01", "days_overdue": 5},
        ]
        for index, notice in enumerate(notices):
            response = self._call("POST", "/bank-notices", self.bank_secret, dict(
                notice, event_id="E-BOUND-%s" % index, project=self.project.name),
                "K-BB-%s" % index)
            self.assertError(response, 422, "invalid_notice")
        self.assertOnlyLogged(before, api_calls=len(notices))
        self.assertEqual(self.project.principal_repaid, 0)

    def test_an_event_id_over_128_characters_is_refused_not_cut(self):
        first = {"event_id": "E" * 128, "type": "repayment", "project": self.project.name,
                 "amount": 1000}
        self.assertEqual(self._call("POST", "/bank-notices", self.bank_secret, first,
                                    "K-EV-1").json()["result"], "ok")
        before = self._written()
        response = self._call("POST", "/bank-notices", self.bank_secret,
                              dict(first, event_id="E" * 128 + "-2", amount=2000), "K-EV-2")
        self.assertError(response, 422, "invalid_notice")
        self.assertIn("longer than 128", response.json()["error"]["message"])
        self.assertOnlyLogged(before, api_calls=1)
        self.assertEqual(self.project.principal_repaid, 1000)

    def test_an_unexpected_failure_is_logged_and_answered_500(self):
        before = self._written()
        with patch.object(PartnerCall, "_decoded_documents", side_effect=ZeroDivisionError), \
                self.assertLogs(ROUTER_LOGGER, logging.ERROR) as logs:
            response = self._call("POST", "/applications", self.bank_secret,
                                  self._application(), "K-CRASH")
        self.assertError(response, 500, "internal_error")
        self.assertIn("ZeroDivisionError", "\n".join(logs.output))
        self.assertOnlyLogged(before, api_calls=1)
        self.assertEqual((self._last_log().status_code, self._last_log().error_code),
                         (500, "internal_error"))
        retry = self._call("POST", "/applications", self.bank_secret, self._application(),
                           "K-CRASH")
        self.assertEqual(retry.status_code, 201, "the failed call kept no idempotency answer")

    def test_refusals_are_logged_at_info(self):
        with self.assertLogs(ROUTER_LOGGER, logging.INFO) as logs:
            self._call("GET", "/projects?page=0", self.bank_secret)
        self.assertEqual([record.levelno for record in logs.records], [logging.INFO])
        self.assertIn("422 invalid_paging", logs.output[0])

    @mute_logger(ROUTER_LOGGER)
    def test_new_refusals_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["res.lang"]._activate_lang("en_US")
        zh = {"Accept-Language": "zh-CN"}
        response = self._call("POST", "/applications", self.bank_secret, self._application(
            applicant={"name": "空白", "uscc": " " * 18}), "K-ZH-1", headers=zh)
        self.assertError(response, 422, "invalid_identifier")
        self.assertIn("不是有效的统一社会信用代码", response.json()["error"]["message"])
        response = self._call("POST", "/applications", self.bank_secret,
                              self._application(term_months=True), "K-ZH-2", headers=zh)
        self.assertEqual(response.json()["error"]["message"], "term_months: 必须是整数")
        response = self._call("POST", "/applications", self.bank_secret, b'{"a": NaN}',
                              "K-ZH-3", headers={"Accept-Language": "en-US"})
        self.assertEqual(response.json()["error"]["message"],
                         "NaN and Infinity are not numbers this system accepts.")
        response = self._call("POST", "/applications", self.bank_secret, b'{"a": NaN}',
                              "K-ZH-4", headers=zh)
        self.assertEqual(response.json()["error"]["message"], "本系统不接受 NaN 和 Infinity。")

    def test_the_openapi_document_states_the_limits_and_refusals(self):
        document = self.url_open(ROOT + "/openapi.json").json()
        fields = document["components"]["schemas"]["Application"]["properties"]
        self.assertEqual((fields["term_months"]["type"], fields["term_months"]["minimum"]),
                         ("integer", 1))
        self.assertIn("guarantee_platform.inbound_max_amount", fields["amount"]["description"])
        self.assertIn("one of the banks listed on the key", fields["creditor_uscc"]["description"])
        answers = document["paths"]["/applications"]["post"]["responses"]
        self.assertIn("nested more than 20 deep", answers["400"]["description"])
        self.assertIn("invalid_identifier", answers["422"]["description"])
        self.assertIn("document_type_not_allowed", answers["422"]["description"])
        self.assertEqual(answers["500"]["content"]["application/json"]["schema"]["$ref"],
                         "#/components/schemas/Error")
        page = document["paths"]["/projects"]["get"]["parameters"][0]
        self.assertEqual((page["name"], page["description"]), ("page", "Page number, 1 to 100000"))
