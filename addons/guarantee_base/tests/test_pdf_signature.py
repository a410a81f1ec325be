import base64

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.guarantee_platform.tests.pki import LocalCA

from .common import GuaranteeCase


@tagged("post_install", "-at_install")
class TestSigningCertificateAccess(GuaranteeCase):
    """The guarantee administrator sees the company's certificate, never its key."""

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

    def test_only_system_administrators_upload_and_a_wrong_password_is_refused(self):
        with self.assertRaisesRegex(AccessError, "not allowed to (create|access)"):
            self.env["guarantee.signing.certificate"].with_user(self.gadmin).create({
                "name": "x", "pkcs12_file": base64.b64encode(self.ca.pkcs12("x")),
                "pkcs12_password": "p12-password"})
        with self.assertRaisesRegex(AccessError, "pkcs12_file"):
            self.certificate.with_user(self.gadmin).read(["pkcs12_file"])
        with self.assertRaisesExactly(
            ValidationError,
            r"^错误密码: the PKCS#12 file cannot be used: it cannot be opened with this password, "
            r"or it holds no key with its certificate\.$",
        ):
            self.env["guarantee.signing.certificate"].with_user(self.system).create({
                "name": "错误密码", "pkcs12_file": base64.b64encode(self.ca.pkcs12("x")),
                "pkcs12_password": "wrong"})
