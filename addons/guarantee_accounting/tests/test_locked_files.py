import base64

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

from .common import GuaranteeAccountingCase

USER_ERROR = "odoo.exceptions.UserError"
FORGED = base64.b64encode(b"%PDF-1.4 forged").decode()


@tagged("post_install", "-at_install")
class TestLockedFiles(GuaranteeAccountingCase, JsonRpcMixin, HttpCase):
    """Issue 22, "Found": the file of a verified checklist document, or the evidence of an
    approved compensation, is replaced or deleted through ``ir.attachment``; the record stays
    verified or approved. Now the file is part of the locked record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = work_in_company(cls.env, cls.company, ["pm1", "pm2", "risk", "finance"])
        users.lang = "en_US"
        cls.pm1 = users.filtered(lambda u: u.login == "pm1")
        cls.pm2 = users.filtered(lambda u: u.login == "pm2")
        cls.risk_demo = users.filtered(lambda u: u.login == "risk")
        cls.finance_demo = users.filtered(lambda u: u.login == "finance")
        cls.customer.user_id = cls.pm1

    def _refused(self, model, method, *args, message):
        _text, result, error = self.rpc(model, method, *args)
        self.assertIsNone(result)
        self.assertEqual(error and error["data"]["name"], USER_ERROR, error)
        self.assertRegex(error["data"]["message"], message)

    def _verified_document(self):
        doc_type = self.env["guarantee.document.type"].create({
            "name": "营业执照", "code": "T-LIC", "stage": "accept",
            "product_ids": [(4, self.product.id)],
        })
        project = self._create_project(manager_id=self.pm1.id, assistant_id=self.pm2.id)
        self.assertEqual(project.document_ids.document_type_id, doc_type)
        self._complete_documents(project, uploader=self.pm1, verifier=self.risk_demo)
        documents = project.document_ids
        self.assertTrue(documents)
        self.assertEqual(set(documents.mapped("state")), {"verified"})
        return documents[:1]

    def test_the_file_of_a_verified_document_cannot_be_replaced_or_deleted(self):
        document = self._verified_document()
        scan = document.attachment_ids[:1]
        original = scan.raw
        belongs = "These files belong to .* as it was verified or approved"
        self.rpc_login("pm1")
        self._refused("ir.attachment", "write", [scan.id], {"datas": FORGED}, message=belongs)
        self._refused("ir.attachment", "write", [scan.id], {"res_id": 0}, message=belongs)
        self._refused("ir.attachment", "unlink", [scan.id], message=belongs)
        self._refused("ir.attachment", "create", {
            "name": "换页.pdf", "datas": FORGED, "res_model": "guarantee.document",
            "res_id": document.id,
        }, message="is verified or approved: no file is added to it")
        # nor as superuser
        with self.assertRaisesExactly(
            UserError,
            r"^These files belong to 营业执照 as it was verified or approved: they cannot be "
            r"replaced, moved or deleted\.$",
        ) as caught:
            scan.sudo().unlink()
        self.assertIs(type(caught.exception), UserError)
        self.assertEqual((scan.raw, document.state), (original, "verified"))
        # once the verification is reset, the A-role may replace the file again
        document.with_user(self.risk_demo).action_reset_verification()
        self.rpc_ok("ir.attachment", "write", [scan.id], {"datas": FORGED})
        self.assertEqual(scan.raw, b"%PDF-1.4 forged")

    def test_the_evidence_of_an_approved_compensation_cannot_be_replaced_or_deleted(self):
        evidence = self.env["ir.attachment"].with_user(self.finance_demo).create(
            {"name": "催款通知书.pdf", "datas": base64.b64encode(b"%PDF-1.4 demand")}
        )
        draft = self.env["guarantee.compensation"].create({
            "project_id": self._project_in("active").id, "principal": 500000.0,
            "evidence_ids": [(6, 0, evidence.ids)],
        })
        self.rpc_login("finance")
        # a draft's evidence is still being gathered: finance may replace it
        self.rpc_ok("ir.attachment", "write", [evidence.id],
                    {"datas": base64.b64encode(b"%PDF-1.4 demand v2").decode()})
        draft.with_user(self.finance_demo).action_approve()
        draft.with_user(self.executive).validate_tier()
        draft.with_user(self.finance_demo).action_approve()
        self.assertEqual(draft.state, "approved")
        belongs = "These files belong to .* as it was verified or approved"
        self._refused("ir.attachment", "write", [evidence.id], {"datas": FORGED}, message=belongs)
        self._refused("ir.attachment", "unlink", [evidence.id], message=belongs)
        with self.assertRaisesExactly(
            UserError,
            r"^These files belong to DC\d{4}-\d+ as it was verified or approved: they cannot be "
            r"replaced, moved or deleted\.$",
        ) as caught:
            evidence.sudo().write({"datas": FORGED})
        self.assertIs(type(caught.exception), UserError)
        self.assertEqual(evidence.raw, b"%PDF-1.4 demand v2")
        self.assertEqual(draft.evidence_ids, evidence)
