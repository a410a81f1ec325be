import base64
import hashlib

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import pdf_signature


class GuaranteeTrustRoot(models.Model):
    """A root certificate the company trusts for signed PDFs (the CA of a counterparty, of an
    e-signature platform, the company's own CA). A signature whose chain ends elsewhere is
    reported as untrusted."""

    _name = "guarantee.trust.root"
    _description = "Trusted Root Certificate"
    _order = "name, id"

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True,
        help="Empty: trusted by every company.",
    )
    certificate = fields.Binary(string="Certificate (PEM or DER)", required=True,
                                attachment=False)
    subject = fields.Char(compute="_compute_details", store=True)
    fingerprint = fields.Char(string="SHA-256 Fingerprint", compute="_compute_details",
                              store=True)

    @api.depends("certificate")
    def _compute_details(self):
        for root in self:
            certificates = root._certificates() if root.certificate else []
            root.subject = certificates[0].subject.human_friendly if certificates else False
            root.fingerprint = hashlib.sha256(certificates[0].dump()).hexdigest() \
                if certificates else False

    @api.constrains("certificate")
    def _check_certificate(self):
        for root in self:
            root._certificates()

    def _certificates(self):
        """The asn1crypto certificates of these records."""
        certificates = []
        for root in self:
            try:
                certificates += pdf_signature.load_certificates(base64.b64decode(root.certificate))
            except (ValueError, TypeError) as error:
                raise ValidationError(_("%(name)s is not an X.509 certificate in PEM or DER.",
                                        name=root.name)) from error
        return certificates
