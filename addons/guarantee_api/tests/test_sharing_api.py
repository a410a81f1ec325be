import json

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_accounting.tests.common import WALK, GuaranteeAccountingCase
from odoo.addons.guarantee_accounting.tests.share_common import ShareAccountingFixtures

ROOT = "/api/guarantee/v1"


@tagged("post_install", "-at_install")
class TestSharingApi(ShareAccountingFixtures, GuaranteeAccountingCase, HttpCase):
    """A re-guarantor's key over real HTTP: the projects filed with it and the claims sent to
    it, nothing of other parties, nothing through the other routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.guarantee_net_assets = 1_000_000_000
        cls._share_setup(cls.product)
        Partner = cls.env["res.partner"]
        cls.other_reguarantor = Partner.create({"name": "邻省再担保公司", "is_company": True})
        cls.agr_other = cls.env["guarantee.share.agreement"].create({
            "name": "邻省再担保协议", "company_id": cls.company.id,
            "partner_id": cls.other_reguarantor.id, "kind": "reguarantor", "share": 25.0,
        })
        cls.filed = cls._shared_project_for("申报科技有限公司", "A1B2C3D4", 2_000_000)
        cls.unfiled = cls._shared_project_for("未备案制造有限公司", "B2C3D4E5", 2_000_000)
        cls.elsewhere = cls._shared_project_for("外省备案贸易有限公司", "C3D4E5F6", 2_000_000,
                                                cls.agr_other | cls.agr_bank)
        cls._filing(cls.filed, cls.agr_reguarantor).action_mark_filed(reference="ZDB-001")
        cls._filing(cls.filed, cls.agr_gov).action_mark_filed(reference="FUND-001")
        cls._filing(cls.elsewhere, cls.agr_other).action_mark_filed(reference="LX-001")
        # a default on the filed project: the re-guarantor's claim is sent, the bank's too
        compensation = cls._compensate(cls.filed, principal=1_500_000, interest=30_000)
        claims = {c.agreement_id: c for c in compensation.share_claim_ids}
        cls.claim_sent = claims[cls.agr_reguarantor]
        cls.claim_sent.with_user(cls.finance).action_send()
        cls.claim_bank = claims[cls.agr_bank]
        cls.claim_bank.with_user(cls.finance).action_send()
        # a claim still in draft is not the re-guarantor's business yet
        cls.claim_draft = cls._compensate(
            cls.unfiled, principal=900_000, interest=0).share_claim_ids.filtered(
                lambda c: c.agreement_id == cls.agr_reguarantor)
        cls.key, cls.secret = cls._new_key(
            name="省再担保接口", partner_id=cls.reguarantor.id, partner_kind="reguarantor",
            scope_sharing=True)
        cls.bank_key, cls.bank_secret = cls._new_key(
            name="银行接口", partner_id=cls.bank.id, partner_kind="bank")

    @classmethod
    def _filing(cls, project, agreement):
        return project.share_filing_ids.filtered(
            lambda f: f.agreement_id == agreement).with_user(cls.finance)

    @classmethod
    def _new_key(cls, **values):
        key = cls.env["guarantee.api.key"].create(dict({"user_id": cls.pm_a.id}, **values))
        action = key.action_generate_key()
        return key, action["context"]["guarantee_api_plain_key"]

    def _get(self, path, secret):
        response = self.opener.get(self.base_url() + ROOT + path, timeout=30,
                                   headers={"Authorization": "Bearer %s" % secret})
        self.env.invalidate_all()
        return response.status_code, json.loads(response.content or b"{}")

    def test_a_persons_id_number_is_masked_in_the_answers(self):
        """A re-guarantor reads the ID number of a person borrower masked, as every user does
        (issue 23): region and last four characters, 110105********002X."""
        person = self.env["res.partner"].create({
            "name": "张三", "is_company": False, "is_guarantee_customer": True,
            "is_agricultural": True,  # a farm household: eligible to the split whatever its scale
            "uscc": "11010519491231002X", "mobile": "13812345678", "user_id": self.pm_a.id})
        project = self._with_split(self._create_project(partner_id=person.id,
                                                        amount=1_000_000))
        for step in WALK:
            project._do_transition(step)
        project.write({"loan_release_date": "2026-01-05", "loan_amount_released": 1_000_000})
        project._do_transition("activate")
        filing = self._filing(project, self.agr_reguarantor)
        self.assertEqual(len(filing), 1)
        filing.action_mark_filed(reference="ZDB-002")
        status, body = self._get("/sharing/projects/%s" % project.name, self.secret)
        self.assertEqual((status, body.get("applicant")), (200, "张三"), body)
        self.assertEqual(body["uscc"], "110105********002X")
        status, page = self._get("/sharing/projects", self.secret)
        self.assertEqual(status, 200)
        listed = {item["name"]: item["uscc"] for item in page["items"]}
        self.assertEqual(listed[project.name], "110105********002X")
        # a company's USCC is not personal data: printed whole
        self.assertEqual(listed[self.filed.name], self.filed.partner_id.uscc)
        for answer in (body, page):
            text = json.dumps(answer, ensure_ascii=False)
            self.assertNotIn("11010519491231002X", text)
            self.assertNotIn("13812345678", text)

    def test_reguarantor_lists_only_the_projects_filed_with_it(self):
        status, body = self._get("/sharing/projects", self.secret)
        self.assertEqual(status, 200)
        self.assertEqual([item["name"] for item in body["items"]], [self.filed.name])
        [item] = body["items"]
        # its 30% of ¥2,000,000; compensated since, nothing is outstanding any more
        self.assertEqual((item["share"], item["amount_covered"], item["outstanding_covered"]),
                         (30.0, 600_000.0, 0.0))
        self.assertEqual(item["state"], "compensated")
        self.assertEqual((item["filing_state"], item["filing_reference"]), ("filed", "ZDB-001"))
        status, body = self._get("/sharing/projects/%s" % self.filed.name, self.secret)
        self.assertEqual((status, body["name"]), (200, self.filed.name))
        for project in (self.unfiled, self.elsewhere):
            status, body = self._get("/sharing/projects/%s" % project.name, self.secret)
            self.assertEqual((status, body["error"]["code"]), (404, "not_found"))

    def test_reguarantor_reads_the_claims_sent_to_it_only(self):
        status, body = self._get("/sharing/claims", self.secret)
        self.assertEqual(status, 200)
        self.assertEqual([item["name"] for item in body["items"]], [self.claim_sent.name])
        [item] = body["items"]
        # 30% of the ¥1,500,000 principal; its agreement does not cover interest
        self.assertEqual((item["principal"], item["interest"], item["amount"]),
                         (450_000.0, 0.0, 450_000.0))
        self.assertEqual((item["state"], item["amount_outstanding"]), ("sent", 450_000.0))
        for claim in (self.claim_draft, self.claim_bank):
            status, body = self._get("/sharing/claims/%s" % claim.name, self.secret)
            self.assertEqual((status, body["error"]["code"]), (404, "not_found"))
        log = self.env["guarantee.connector.call.log"].search(
            [("res_model", "=", "guarantee.api.key"), ("res_id", "=", self.key.id)],
            order="id desc", limit=1)
        self.assertEqual((log.status_code, log.record_id), (404, 0))

    def test_reguarantor_key_sees_nothing_through_the_project_routes(self):
        self.assertTrue(self.key.scope_projects, "even with the scope the routes show nothing")
        status, body = self._get("/projects", self.secret)
        self.assertEqual((status, body["total"], body["items"]), (200, 0, []))
        status, body = self._get("/projects/%s" % self.filed.name, self.secret)
        self.assertEqual((status, body["error"]["code"]), (404, "not_found"))

    def test_key_without_the_sharing_scope_is_refused(self):
        status, body = self._get("/sharing/claims", self.bank_secret)
        self.assertEqual((status, body["error"]["code"]), (403, "scope_denied"))
        status, body = self._get("/sharing/projects", "gak_deadbeef_not-a-key")
        self.assertEqual((status, body["error"]["code"]), (401, "unauthorized"))

    def test_the_answers_are_described_in_the_openapi_document(self):
        response = self.opener.get(self.base_url() + ROOT + "/openapi.json", timeout=30)
        document = json.loads(response.content)
        self.assertIn("/sharing/claims/{name}", document["paths"])
        claim = document["components"]["schemas"]["SharedClaim"]["properties"]
        self.assertIn("amount_outstanding", claim)
        self.assertIn("SharedProjectPage", document["components"]["schemas"])
