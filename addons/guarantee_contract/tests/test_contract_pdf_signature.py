import base64
import io

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.guarantee_platform.tests.pki import LocalCA
from odoo.addons.guarantee_platform.tools import pdf_signature

from .common import ContractCase


@tagged("post_install", "-at_install")
class TestContractPdfSignature(ContractCase):
    """The company seals a contract with its certificate; the counter-signed PDF that comes
    back is checked before it signs the contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ca = LocalCA("测试电子认证服务有限公司")
        cls.company = cls.env.company
        cls.env["guarantee.signing.certificate"].create({
            "name": "公司签章证书", "company_id": cls.company.id,
            "pkcs12_file": base64.b64encode(cls.ca.pkcs12(cls.company.name)),
            "pkcs12_password": "p12-password",
        })
        cls.env["guarantee.trust.root"].create({
            "name": "测试 CA", "company_id": cls.company.id,
            "certificate": base64.b64encode(cls.ca.pem),
        })
        cls.project = cls._approved_project()
        cls.project.action_generate_contracts()
        cls.contract = cls.project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        cls.contract.action_send_for_signing()
        cls.contract.with_user(cls.pm_a).action_seal_with_company_certificate()
        cls.sealed = base64.b64decode(cls.contract.sealed_pdf_id.datas)

    def _counter_sign(self, ca, name):
        """The customer signs the sealed PDF with its own certificate (as its reader would)."""
        certificate = pdf_signature.read_pkcs12(ca.pkcs12(name), "p12-password")
        position = {"page": 1, "x_mm": 20, "y_mm": 20, "size_mm": 30}
        return pdf_signature.sign_pdf(self.sealed, certificate, position, "Customer")

    def _upload(self, pdf, user=None):
        wizard = Form(self.env["guarantee.contract.countersign.wizard"].with_user(
            user or self.pm_a).with_context(default_contract_id=self.contract.id))
        wizard.pdf_file = base64.b64encode(pdf)
        wizard.save().action_check()

    def test_the_sealed_contract_verifies_with_pyhanko_at_the_company_seal_position(self):
        signature = PdfFileReader(io.BytesIO(self.sealed)).embedded_signatures[0]
        status = validate_pdf_signature(signature, ValidationContext(
            trust_roots=[asn1_x509.Certificate.load(self.ca.der)], allow_fetching=False))
        self.assertTrue(status.bottom_line, status.summary())
        self.assertEqual(status.signing_cert.subject.native["common_name"], self.company.name)
        _pdf, positions = self.contract._build_pdf_with_seals()
        mine = [p for p in positions if p["party"] == self.company.name]
        self.assertEqual(len(mine), 1, "the pipeline draws one seal circle for the company")
        mm = 72 / 25.4
        expected = [mine[0]["x_mm"] * mm, mine[0]["y_mm"] * mm,
                    (mine[0]["x_mm"] + mine[0]["size_mm"]) * mm,
                    (mine[0]["y_mm"] + mine[0]["size_mm"]) * mm]
        rect = [float(v) for v in signature.sig_field["/Rect"]]
        for got, want in zip(rect, expected):
            self.assertAlmostEqual(got, want, places=1)
        self.assertEqual(self.contract.state, "sent", "the other parties have not signed yet")
        with self.assertRaisesExactly(
            UserError,
            r"^WT\d{4}-\d+ cannot be sealed: it is sealed already\.$",
        ):
            self.contract.with_user(self.pm_a).action_seal_with_company_certificate()

    def test_a_counter_signed_pdf_under_a_trusted_root_signs_the_contract(self):
        countersigned = self._counter_sign(self.ca, self.customer.name)
        self._upload(countersigned)
        self.assertEqual(self.contract.pdf_check_state, "valid")
        self.assertEqual(self.contract.state, "signed")
        self.assertEqual(base64.b64decode(self.contract.signed_pdf_id.datas), countersigned)
        self.assertIn("CompanySeal", self.contract.pdf_check_report)
        self.assertIn("Customer", self.contract.pdf_check_report)
        self.assertEqual(self.contract.pdf_checked_by_id, self.pm_a)

    def test_a_byte_changed_after_signing_is_detected_and_not_accepted(self):
        countersigned = bytearray(self._counter_sign(self.ca, self.customer.name))
        start = countersigned.index(b"stream", 200) + 40  # inside the first page's content
        countersigned[start] ^= 0x01
        self._upload(bytes(countersigned))
        self.assertEqual(self.contract.pdf_check_state, "invalid")
        self.assertEqual(self.contract.state, "sent")
        self.assertIn("changed after signing", self.contract.pdf_check_report)

    def test_a_pdf_signed_under_an_unknown_root_is_reported_as_such(self):
        countersigned = self._counter_sign(LocalCA("未知的根证书"), self.customer.name)
        self._upload(countersigned)
        self.assertEqual(self.contract.pdf_check_state, "untrusted")
        self.assertEqual(self.contract.state, "sent")
        self.assertIn("trusted root", self.contract.pdf_check_report)

    def test_a_pdf_without_the_company_seal_does_not_sign(self):
        certificate = pdf_signature.read_pkcs12(self.ca.pkcs12(self.customer.name),
                                                "p12-password")
        pdf, _positions = self.contract._build_pdf_with_seals()
        alone = pdf_signature.sign_pdf(pdf, certificate, {"page": 1, "x_mm": 20, "y_mm": 20,
                                                          "size_mm": 30}, "Customer")
        self._upload(alone)
        self.assertEqual(self.contract.pdf_check_state, "no_company_seal")
        self.assertEqual(self.contract.state, "sent")

    def test_other_users_cannot_seal_or_check(self):
        with self.assertRaisesRegex(AccessError, "doesn't have 'write' access"):
            self.contract.with_user(self.pm_other).action_seal_with_company_certificate()
        with self.assertRaisesRegex(AccessError, "not allowed to modify"):
            self.contract.with_user(self.finance)._record_countersigned(self.sealed)
