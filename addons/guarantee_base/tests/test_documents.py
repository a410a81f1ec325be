from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestDocumentChecklist(GuaranteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_product = cls.product.copy({"code": "T-LOAN-2", "name": "另一个测试品种"})
        DocumentType = cls.env["guarantee.document.type"]
        cls.type_license = DocumentType.create(
            {"name": "营业执照", "code": "T-BL", "stage": "accept", "product_ids": cls.product.ids}
        )
        cls.type_articles = DocumentType.create(
            {
                "name": "公司章程",
                "code": "T-AOA",
                "stage": "accept",
                "required": False,
                "product_ids": cls.product.ids,
            }
        )
        cls.type_credit = DocumentType.create(
            {
                "name": "征信报告",
                "code": "T-CREDIT",
                "stage": "start_investigation",
                "product_ids": cls.product.ids,
            }
        )
        cls.type_contract = DocumentType.create(
            {
                "name": "委托担保合同",
                "code": "T-ENTRUST",
                "stage": "contract",
                "product_ids": cls.product.ids,
            }
        )
        cls.type_other = DocumentType.create(
            {
                "name": "债券募集说明书",
                "code": "T-BOND",
                "stage": "accept",
                "product_ids": cls.other_product.ids,
            }
        )

    def _upload(self, documents, user=None):
        documents.with_user(user or self.pm_a).write(
            {"attachment_ids": [Command.create({"name": "scan.pdf", "raw": b"%PDF-1.4"})]}
        )

    def _document(self, project, doc_type):
        return project.document_ids.filtered(lambda d: d.document_type_id == doc_type)

    def test_checklist_is_generated_from_the_product_document_types(self):
        project = self._create_project()
        self.assertEqual(
            project.document_ids.document_type_id,
            self.type_license | self.type_articles | self.type_credit | self.type_contract,
        )
        self.assertEqual(set(project.document_ids.mapped("state")), {"missing"})
        unlinked = self._create_project(product_id=self.env["guarantee.product"].create(
            {"name": "无资料要求品种", "code": "T-NONE"}
        ).id)
        self.assertFalse(unlinked.document_ids, "a type linked to no product is not asked for")

    def test_changing_the_product_in_draft_rebuilds_the_checklist(self):
        project = self._create_project()
        self._upload(self._document(project, self.type_license))
        project.product_id = self.other_product
        self.assertEqual(
            project.document_ids.document_type_id,
            self.type_other | self.type_license,
            "empty lines of the old product go, uploaded files stay",
        )

    def test_accept_is_refused_with_the_list_of_missing_documents(self):
        project = self._create_project()
        self.assertIn("营业执照", project.next_step_blockers)
        with self.assertRaisesExactly(UserError, "Required documents missing: 营业执照") as refused:
            project.with_user(self.pm_a).action_accept()
        message = str(refused.exception)
        self.assertIn("Required documents missing: 营业执照", message)
        self.assertNotIn("公司章程", message, "optional documents do not block")
        self.assertNotIn("征信报告", message, "documents of later steps do not block")
        self.assertEqual(project.state, "draft")
        self._upload(self._document(project, self.type_license))
        project.with_user(self.pm_a).action_accept()
        self.assertEqual(project.state, "accepted")
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - Required documents missing: "
            r"征信报告\.$",
        ):
            project.with_user(self.pm_a).action_start_investigation()

    def test_steps_after_review_need_verified_documents(self):
        project = self._create_project()
        self._upload(project.document_ids)
        project.with_user(self.pm_a).action_accept()
        project.with_user(self.pm_a).action_start_investigation()
        project.with_user(self.pm_a).action_submit_review()
        with self.assertRaisesExactly(
            UserError, "Required documents not verified yet: 营业执照、征信报告"
        ) as refused:
            project.with_user(self.executive).action_approve()
        self.assertIn("not verified yet", str(refused.exception))
        self.assertIn("营业执照", str(refused.exception))
        self.assertEqual(project.state, "reviewing")
        project.document_ids.filtered(lambda d: d.stage != "contract").with_user(
            self.risk
        ).action_verify()
        project.with_user(self.executive).action_approve()
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - Required documents not verified "
            r"yet: 委托担保合同\.$",
        ):
            project.with_user(self.pm_a).action_contract()
        self._document(project, self.type_contract).with_user(self.executive).action_verify()
        project.with_user(self.pm_a).action_contract()
        self.assertEqual(project.state, "contracted")

    def test_only_another_risk_officer_or_executive_verifies(self):
        project = self._create_project()
        license_doc = self._document(project, self.type_license)
        with self.assertRaisesExactly(
            UserError,
            r"^Only uploaded documents not yet verified can be verified: 营业执照\.$",
        ):
            license_doc.with_user(self.risk).action_verify()
        self._upload(license_doc, user=self.risk)
        self.assertEqual(license_doc.uploaded_by_id, self.risk)
        with self.assertRaisesExactly(
            UserError,
            r"^You uploaded 营业执照; another person must verify them\.$",
        ):
            license_doc.with_user(self.risk).action_verify()
        with self.assertRaisesExactly(
            UserError,
            r"^Only risk officers and executives can verify documents\.$",
        ):
            license_doc.with_user(self.pm_b).action_verify()
        self.assertEqual(license_doc.state, "uploaded")
        license_doc.with_user(self.executive).action_verify()
        self.assertEqual(license_doc.state, "verified")
        self.assertEqual(license_doc.verified_by_id, self.executive)
        self.assertTrue(license_doc.date_verified)

    def test_who_uploaded_and_verified_cannot_be_written_by_a_client(self):
        project = self._create_project()
        license_doc = self._document(project, self.type_license)
        for field in ("verified_by_id", "uploaded_by_id"):
            with self.assertRaisesExactly(
                UserError,
                r"^Who uploaded and who verified a document is recorded by the system only\.$",
            ):
                license_doc.with_user(self.pm_a).write({field: self.risk.id})
        self.assertEqual(license_doc.state, "missing")

    def test_new_files_clear_an_earlier_verification(self):
        project = self._create_project()
        license_doc = self._document(project, self.type_license)
        self._upload(license_doc)
        license_doc.with_user(self.risk).action_verify()
        self._upload(license_doc, user=self.pm_b)
        self.assertEqual(license_doc.state, "uploaded")
        self.assertEqual(license_doc.uploaded_by_id, self.pm_b)
        self.assertFalse(license_doc.verified_by_id)
        self.assertEqual(license_doc.attachment_ids.mapped("res_model"), ["guarantee.document"] * 2)

    def test_project_manager_sees_documents_of_own_projects_only(self):
        project = self._create_project()
        Document = self.env["guarantee.document"]
        self.assertEqual(
            Document.with_user(self.pm_b).search([("project_id", "=", project.id)]),
            project.document_ids,
        )
        self.assertFalse(
            Document.with_user(self.pm_other).search([("project_id", "=", project.id)])
        )
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'write' access to:\n- Guarantee Project Document"
        ):
            self._upload(project.document_ids[:1], user=self.pm_other)
        self.assertEqual(
            Document.with_user(self.finance).search_count([("project_id", "=", project.id)]), 4
        )

    def test_admin_configures_types_other_roles_only_read(self):
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to create 'Guarantee Document Type'"
        ):
            self.env["guarantee.document.type"].with_user(self.pm_a).create(
                {"name": "X", "code": "X", "stage": "accept"}
            )
        doc_type = self.env["guarantee.document.type"].with_user(self.gadmin).create(
            {
                "name": "审计报告",
                "code": "T-AUDIT",
                "stage": "accept",
                "product_ids": self.product.ids,
            }
        )
        project = self._create_project()
        self.assertIn(doc_type, project.document_ids.document_type_id)

    def test_missing_documents_are_listed_the_chinese_way(self):
        self.env["guarantee.document.type"].create({
            "name": "法定代表人身份证", "code": "T-ID", "stage": "accept",
            "product_ids": self.product.ids,
        })
        project = self._create_project()
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - Required documents missing: "
            r"(营业执照、法定代表人身份证|法定代表人身份证、营业执照)\.$",
        ):
            project.with_user(self.pm_a).action_accept()
