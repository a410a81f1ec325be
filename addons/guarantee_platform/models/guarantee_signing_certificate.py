import base64
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import sql

from ..tools import pdf_signature

_logger = logging.getLogger(__name__)

SYSTEM_GROUP = "base.group_system"


class GuaranteeSigningCertificate(models.Model):
    """The company's signing certificate (PKCS#12, as its CA delivers it) for its own PDF
    signatures: contracts, due-diligence reports.

    The archive and its password are written once by a system administrator and never read
    back through the ORM: they live in two columns that no field declares (see ``init``),
    so no read, export, search, import, audit log or RPC answer can reach them. Only
    ``_sign_pdf`` opens them, in the server, to sign.
    """

    _name = "guarantee.signing.certificate"
    _description = "Company Signing Certificate"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    pkcs12_file = fields.Binary(
        string="PKCS#12 File (.p12 / .pfx)", compute="_compute_secret_inputs",
        inverse="_inverse_secret_inputs", groups=SYSTEM_GROUP,
        help="Uploaded once; it is never shown or exported again.",
    )
    pkcs12_password = fields.Char(
        string="PKCS#12 Password", compute="_compute_secret_inputs",
        inverse="_inverse_secret_inputs", groups=SYSTEM_GROUP,
    )
    has_key = fields.Boolean(string="Key Uploaded", readonly=True, copy=False)
    subject = fields.Char(readonly=True, copy=False)
    issuer = fields.Char(readonly=True, copy=False)
    serial_number = fields.Char(readonly=True, copy=False)
    valid_from = fields.Datetime(readonly=True, copy=False)
    valid_to = fields.Datetime(readonly=True, copy=False)
    fingerprint = fields.Char(string="SHA-256 Fingerprint", readonly=True, copy=False)
    timestamp_url = fields.Char(
        string="Time-Stamp Server (RFC 3161)",
        help="Optional: the address of an RFC 3161 time-stamp authority; each signature "
        "then carries its time-stamp.",
    )
    timestamp_timeout = fields.Float(string="Time-Stamp Timeout (s)", default=10.0)
    reason = fields.Char(string="Signing Reason", default=lambda self: _("Company seal"),
                         translate=True)
    location = fields.Char(string="Signing Place")

    def _auto_init(self):
        """The table, and the columns of the secret outside every field."""
        result = super()._auto_init()
        for column, column_type in (("pkcs12_data", "bytea"), ("pkcs12_passphrase", "varchar")):
            if not sql.column_exists(self.env.cr, self._table, column):
                sql.create_column(self.env.cr, self._table, column, column_type)
        return result

    def _compute_secret_inputs(self):
        """Write-only: reading always gives nothing."""
        self.pkcs12_file = False
        self.pkcs12_password = False

    def _inverse_secret_inputs(self):
        for certificate in self:
            if not certificate.pkcs12_file:
                continue
            certificate._store_pkcs12(base64.b64decode(certificate.pkcs12_file),
                                      certificate.pkcs12_password or "")

    @api.constrains("timestamp_timeout")
    def _check_timestamp_timeout(self):
        if any(certificate.timestamp_timeout <= 0 for certificate in self):
            raise ValidationError(_("The time-stamp timeout must be positive."))

    def copy(self, default=None):
        """A copy would carry no key (it lives outside the fields): refused with a reason."""
        if self:
            raise UserError(_("A signing certificate cannot be duplicated: upload the archive "
                              "as a new certificate."))
        return super().copy(default)

    def _store_pkcs12(self, data, passphrase):
        """Check the archive opens and holds a key, then keep it and its password."""
        self.ensure_one()
        if not self.env.user.has_group(SYSTEM_GROUP) and not self.env.su:
            raise AccessError(_("Only a system administrator may upload a signing "
                                "certificate."))
        try:
            certificate = pdf_signature.read_pkcs12(data, passphrase)
        except pdf_signature.SigningError as error:
            raise ValidationError(_("%(name)s: the PKCS#12 file cannot be used: it cannot "
                                    "be opened with this password, or it holds no key "
                                    "with its certificate.", name=self.name)) from error
        self.env.cr.execute(
            "UPDATE guarantee_signing_certificate SET pkcs12_data = %s, pkcs12_passphrase = %s "
            "WHERE id = %s", (data, passphrase, self.id),
        )
        self.sudo().write({
            "has_key": True,
            "subject": certificate.subject,
            "issuer": certificate.issuer,
            "serial_number": certificate.serial,
            "valid_from": certificate.not_before,
            "valid_to": certificate.not_after,
            "fingerprint": certificate.fingerprint,
        })

    def _open(self):
        """The certificate and key, read from the hidden columns (server side only)."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT pkcs12_data, pkcs12_passphrase FROM guarantee_signing_certificate "
            "WHERE id = %s", (self.id,),
        )
        row = self.env.cr.fetchone()
        if not row or not row[0]:
            raise UserError(_("The signing certificate %(name)s has no key uploaded.",
                              name=self.name))
        try:
            return pdf_signature.read_pkcs12(bytes(row[0]), row[1] or "")
        except pdf_signature.SigningError as error:
            raise UserError(_("The signing certificate %(name)s cannot be opened.",
                              name=self.name)) from error

    @api.model
    def _check_company_argument(self, company):
        """Server code passes a company record; an RPC call, which cannot, is refused."""
        if not isinstance(company, models.BaseModel) or company._name != "res.company":
            raise AccessError(_("PDFs are signed and checked by the server for a company "
                                "record only."))

    @api.model
    def _for_company(self, company):
        certificate = self.sudo().search(
            [("company_id", "=", company.id), ("has_key", "=", True)], limit=1)
        if not certificate:
            raise UserError(_("%(company)s has no signing certificate: a system "
                              "administrator uploads its PKCS#12 file under Configuration "
                              "> Signing Certificates.", company=company.name))
        return certificate

    @api.model
    def sign_pdf(self, pdf_bytes, company, seal_positions, seal_text=None, font=None,
                 field_name=None):
        """``pdf_bytes`` signed by ``company``'s certificate (PAdES, visible seal).

        The signature's seal goes to the first of ``seal_positions`` (the positions the PDF
        pipeline reports: page, x_mm, y_mm, size_mm); ``font`` is the (path, face index) of
        a font with the seal text's characters. Callers check who may seal what; this only
        signs. Returns the signed PDF bytes.
        """
        self._check_company_argument(company)
        if not seal_positions:
            raise UserError(_("The PDF has no seal position for %(company)s.",
                              company=company.name))
        certificate = self._for_company(company)
        now = fields.Datetime.now()
        if certificate.valid_to and certificate.valid_to < now:
            raise UserError(_("The signing certificate %(name)s expired on %(date)s.",
                              name=certificate.name, date=certificate.valid_to))
        try:
            return pdf_signature.sign_pdf(
                pdf_bytes, certificate._open(), seal_positions[0],
                field_name or "Seal%d" % company.id,
                seal_text=company.name if seal_text is None else seal_text, font=font,
                reason=certificate.reason or "", location=certificate.location or "",
                timestamp_url=certificate.timestamp_url or None,
                timeout=certificate.timestamp_timeout,
            )
        except pdf_signature.SigningError as error:
            raise UserError(_("The PDF could not be signed: %(error)s",
                              error=str(error))) from error
        except OSError as error:
            # the time-stamp server did not answer (requests errors are OSErrors)
            raise UserError(_("The time-stamp server %(url)s did not answer: %(error)s",
                              url=certificate.timestamp_url,
                              error=type(error).__name__)) from error

    @api.model
    def validate_pdf(self, pdf_bytes, company):
        """The checks of every signature of ``pdf_bytes`` against ``company``'s configured
        trust roots (see pdf_signature.validate_pdf)."""
        self._check_company_argument(company)
        roots = self.env["guarantee.trust.root"].sudo().search(
            [("company_id", "in", (company.id, False))])
        try:
            return pdf_signature.validate_pdf(pdf_bytes, roots._certificates())
        except pdf_signature.SigningError as error:
            raise UserError(_("The file is not a readable PDF.")) from error
