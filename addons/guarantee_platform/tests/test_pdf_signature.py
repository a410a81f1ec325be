import base64
import io

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.pdfgen import canvas

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .fake_servers import KeepLocalTimeouts
from .pki import LocalCA, TimeStampServer
from .refusals import RefusalAssertions

SEAL = {"party": "测试融资担保有限公司", "page": 1, "x_mm": 120.0, "y_mm": 30.0,
        "size_mm": 40.0}


def sample_pdf(text="Guarantee contract No. HT-2026-0001"):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestPdfSignature(RefusalAssertions, KeepLocalTimeouts, TransactionCase):
    """The company signs PDFs with its own certificate; signed PDFs are checked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ca = LocalCA()
        cls.system = new_test_user(cls.env, "t_sysadmin", groups="base.group_system")
        cls.company = cls.env.company
        cls.certificate = cls.env["guarantee.signing.certificate"].with_user(cls.system).create({
            "name": "公司签章证书",
            "company_id": cls.company.id,
            "pkcs12_file": base64.b64encode(cls.ca.pkcs12(cls.company.name)),
            "pkcs12_password": "p12-password",
        })
        cls.root = cls.env["guarantee.trust.root"].create({
            "name": "测试根证书", "company_id": cls.company.id,
            "certificate": base64.b64encode(cls.ca.pem),
        })

    def _pyhanko_status(self, pdf, roots):
        """pyHanko's own validator, as a PDF reader would check the signature."""
        signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
        context = ValidationContext(
            trust_roots=[asn1_x509.Certificate.load(der) for der in roots],
            allow_fetching=False)
        return validate_pdf_signature(signature, context)

    def test_signed_pdf_verifies_with_pyhanko_and_shows_the_seal_where_asked(self):
        Certificate = self.env["guarantee.signing.certificate"]
        signed = Certificate.sign_pdf(sample_pdf(), self.company, [SEAL])
        status = self._pyhanko_status(signed, [self.ca.der])
        self.assertTrue(status.intact and status.valid and status.trusted, status.summary())
        self.assertTrue(status.bottom_line)
        self.assertEqual(status.signing_cert.subject.native["common_name"], self.company.name)
        self.assertIn(b"/ETSI.CAdES.detached", signed, "a PAdES signature")
        field = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_field
        # 120 mm = 340.16 pt, 30 mm = 85.04 pt, 40 mm = 113.39 pt (72 pt per 25.4 mm)
        self.assertEqual([round(float(v), 2) for v in field["/Rect"]],
                         [340.16, 85.04, 453.54, 198.43])
        checks = Certificate.validate_pdf(signed, self.company)
        self.assertEqual([(c.intact, c.valid, c.trusted, c.unchanged) for c in checks],
                         [(True, True, True, True)])

    def test_a_byte_changed_after_signing_is_detected(self):
        signed = self.env["guarantee.signing.certificate"].sign_pdf(
            sample_pdf(), self.company, [SEAL])
        position = signed.index(b"HT-2026-0001")
        forged = signed[:position] + b"HT-2026-0009" + signed[position + 12:]
        self.assertEqual(len(forged), len(signed))
        self.assertFalse(self._pyhanko_status(forged, [self.ca.der]).intact)
        checks = self.env["guarantee.signing.certificate"].validate_pdf(forged, self.company)
        self.assertEqual(checks[0].problems, ["content_changed"])
        self.assertFalse(checks[0].ok)

    def test_a_pdf_signed_under_an_unknown_root_is_reported_untrusted(self):
        stranger = LocalCA("陌生根证书")
        certificate = self.env["guarantee.signing.certificate"].with_user(self.system).create({
            "name": "其他公司证书", "company_id": self.company.id,
            "pkcs12_file": base64.b64encode(stranger.pkcs12("某某公司")),
            "pkcs12_password": "p12-password", "sequence": 99,
        })
        from ..tools import pdf_signature

        signed = pdf_signature.sign_pdf(sample_pdf(), certificate._open(), SEAL, "Other")
        checks = self.env["guarantee.signing.certificate"].validate_pdf(signed, self.company)
        self.assertEqual(len(checks), 1)
        self.assertTrue(checks[0].intact and checks[0].valid, "the signature itself is fine")
        self.assertFalse(checks[0].trusted)
        self.assertEqual(checks[0].problems, ["untrusted"])

    def test_the_signature_carries_a_time_stamp_from_the_configured_server(self):
        with TimeStampServer(self.ca) as tsa:
            self.certificate.timestamp_url = tsa.url + "/tsa"
            signed = self.env["guarantee.signing.certificate"].sign_pdf(
                sample_pdf(), self.company, [SEAL])
            # pyHanko asks once to size the token, then for the token itself
            self.assertEqual({r["path"] for r in tsa.requests}, {"/tsa"})
        status = self._pyhanko_status(signed, [self.ca.der])
        self.assertIsNotNone(status.timestamp_validity, "an RFC 3161 time-stamp token")
        self.assertTrue(status.timestamp_validity.intact and status.timestamp_validity.trusted)
        self.assertTrue(status.bottom_line)

    def test_an_unreachable_time_stamp_server_refuses_to_sign(self):
        server = TimeStampServer(self.ca).start()
        url = server.url
        server.stop()
        self.certificate.write({"timestamp_url": url, "timestamp_timeout": 5.0})
        with self.assertRaisesExactly(
            UserError,
            r"^The time-stamp server http://127\.0\.0\.1:\d+ did not answer: .+$",
        ):
            self.env["guarantee.signing.certificate"].sign_pdf(sample_pdf(), self.company,
                                                               [SEAL])

    def test_the_key_is_never_read_back_not_even_by_a_system_administrator(self):
        Certificate = self.env["guarantee.signing.certificate"].with_user(self.system)
        values = Certificate.browse(self.certificate.id).read(
            ["pkcs12_file", "pkcs12_password", "subject", "has_key"])[0]
        self.assertEqual((values["pkcs12_file"], values["pkcs12_password"]), (False, False))
        self.assertTrue(values["has_key"])
        self.assertIn(self.company.name, values["subject"], "the read itself succeeded")
        exported = Certificate.browse(self.certificate.id).export_data(
            ["pkcs12_file", "pkcs12_password", "fingerprint"])["datas"]
        self.assertEqual(exported[0][:2], ["", ""])
        self.assertEqual(len(exported[0][2]), 64)
        self.assertNotIn("pkcs12_data", Certificate._fields)
        self.env.cr.execute("SELECT length(pkcs12_data) > 0 FROM guarantee_signing_certificate "
                            "WHERE id = %s", (self.certificate.id,))
        self.assertTrue(self.env.cr.fetchone()[0], "stored, only outside every field")

    def test_signing_is_not_reachable_with_what_rpc_can_send(self):
        with self.assertRaisesRegex(AccessError, "company record only"):
            self.env["guarantee.signing.certificate"].with_user(self.system).sign_pdf(
                sample_pdf(), self.company.id, [SEAL])

    def test_a_trust_root_must_be_a_certificate(self):
        with self.assertRaisesExactly(
            ValidationError,
            r"^坏证书 is not an X\.509 certificate in PEM or DER\.$",
        ):
            self.env["guarantee.trust.root"].create({
                "name": "坏证书", "certificate": base64.b64encode(b"not a certificate")})
