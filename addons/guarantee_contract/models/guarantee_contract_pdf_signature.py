import hashlib

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfFontError, find_cjk_font

from ..tools.contract_pdf import contract_document

CHECK_STATES = [
    ("valid", "Valid"),
    ("untrusted", "Signer Not Trusted"),
    ("modified", "Changed After Signing"),
    ("invalid", "Signature Broken"),
    ("unsigned", "Not Signed"),
    ("no_company_seal", "Company Seal Missing"),
]
_SEAL_FIELDS = (
    "sealed_pdf_id", "sealed_sha256", "date_sealed", "pdf_check_state", "pdf_check_report",
    "pdf_check_date", "pdf_checked_by_id",
)


class GuaranteeContract(models.Model):
    """The company's own PDF signature on a contract (PAdES, the company's certificate, a
    visible seal where the PDF pipeline put the company's seal circle), and the check of the
    counter-signed PDF the other parties send back."""

    _inherit = "guarantee.contract"

    sealed_pdf_id = fields.Many2one("ir.attachment", string="PDF Sealed by the Company",
                                    readonly=True, copy=False)
    sealed_sha256 = fields.Char(string="Sealed PDF SHA-256", readonly=True, copy=False)
    date_sealed = fields.Datetime(readonly=True, copy=False, tracking=True)
    pdf_check_state = fields.Selection(CHECK_STATES, string="Signature Check", readonly=True,
                                       copy=False, tracking=True)
    pdf_check_report = fields.Text(string="Signature Check Report", readonly=True, copy=False)
    pdf_check_date = fields.Datetime(string="Checked On", readonly=True, copy=False)
    pdf_checked_by_id = fields.Many2one("res.users", string="Checked By", readonly=True,
                                        copy=False)

    def _lock_action_field_names(self):
        return super()._lock_action_field_names() | set(_SEAL_FIELDS)

    # ------------------------------------------------------------------ actions

    def action_seal_with_company_certificate(self):
        """Sign the contract's PDF with the company's certificate at the company's seal
        position; the sealed PDF goes to the other parties for their signatures."""
        for contract in self:
            contract._check_can_seal()
            contract._do_seal()
        return True

    def action_upload_countersigned(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Check a Counter-Signed PDF"),
            "res_model": "guarantee.contract.countersign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_download_sealed(self):
        self.ensure_one()
        if not self.sealed_pdf_id:
            raise UserError(_("%(name)s has not been sealed by the company.", name=self.name))
        return self._download_action(self.sealed_pdf_id)

    # ------------------------------------------------------------------ business

    def _check_can_seal(self):
        self.ensure_one()
        self.check_access("write")
        reasons = []
        if self.state != "sent":
            reasons.append(_("only a contract sent for signing is sealed"))
        if self.esign_status == "pending":
            reasons.append(_("it is being signed at the e-signature provider"))
        if self.sealed_pdf_id:
            reasons.append(_("it is sealed already"))
        if self.project_id.state in ("draft", "accepted", "investigating", "reviewing",
                                     "rejected", "cancelled"):
            reasons.append(_("its project is not approved"))
        if reasons:
            raise UserError(_("%(name)s cannot be sealed: %(reasons)s.",
                              name=self.name, reasons="; ".join(reasons)))

    def _do_seal(self):
        pdf, positions = self._build_pdf_with_seals()
        company = self.company_id
        mine = [p for p in positions if p["party"] == company.name] or positions[-1:]
        try:
            font = find_cjk_font()
        except PdfFontError:
            font = None
        signed = self.env["guarantee.signing.certificate"].sign_pdf(
            pdf, company, mine, font=font, field_name="CompanySeal")
        attachment = self._attach_pdf(signed, suffix="-sealed")
        self._unlocked().write({
            "sealed_pdf_id": attachment.id,
            "sealed_sha256": hashlib.sha256(signed).hexdigest(),
            "date_sealed": fields.Datetime.now(),
        })
        self.message_post(
            body=_("Sealed with the certificate of %(company)s; send this PDF to the other "
                   "parties to sign.", company=company.name),
            attachment_ids=attachment.ids,
        )

    def _signing_payload(self):
        """The PDF and its signers, each with the seal position the pipeline drew for it
        (the provider puts each party's seal field there)."""
        pdf, positions = self._build_pdf_with_seals()
        by_party = {position["party"]: position for position in positions}
        signers = self._signers()
        partners = self.partner_ids | self.company_id.partner_id
        for signer, partner in zip(signers, partners):
            signer["is_company"] = partner.is_company
            if signer["name"] in by_party:
                signer["seal"] = by_party[signer["name"]]
        return pdf, signers

    def _handle_esign_v3_event(self, status, description=None):
        """The end of a flow at e签宝: the signed file is fetched and signs the contract;
        a refused, revoked or expired flow returns the contract to draft."""
        self.ensure_one()
        if self.state != "sent" or self.esign_status != "pending":
            return "ignored"
        if status == "signed":
            content = self.esign_provider_id._connector_adapter(record=self).download(
                self.esign_flow_id)
            if not content.startswith(b"%PDF"):
                raise UserError(_("The file e签宝 delivered for %(name)s is not a PDF.",
                                  name=self.name))
            self._do_sign(content)
            return "signed"
        return self._handle_provider_event(status, reason=description)

    def _build_pdf_with_seals(self):
        """The contract's PDF and the seal positions the pipeline reported."""
        self.ensure_one()
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        contract = self.sudo().with_context(lang=lang)
        document = contract_document(
            self._pdf_title(), contract._pdf_summary_lines(), contract.signed_body or contract.body
            or "", footer=self.name, parties=contract._pdf_parties(),
            signature_labels=contract._pdf_signature_labels(), header=self.company_id.name,
        )
        try:
            pdf = document.build()
        except PdfFontError as error:
            raise UserError(_("The PDF cannot be made: %(reason)s", reason=str(error))) from error
        return pdf, list(document.seal_positions)

    def _record_countersigned(self, pdf, filename=None):
        """Check every signature of ``pdf`` and record the verdict; a PDF whose signatures
        are all intact, trusted and unchanged since, with the company's seal among them,
        signs the contract."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "sent":
            raise UserError(_("Only a contract sent for signing takes a counter-signed PDF."))
        checks = self.env["guarantee.signing.certificate"].validate_pdf(pdf, self.company_id)
        certificate = self.env["guarantee.signing.certificate"]._for_company(self.company_id) \
            if self.sealed_pdf_id else None
        state = self._check_verdict(checks, certificate)
        report = self._check_report(checks, filename)
        self._unlocked().write({
            "pdf_check_state": state,
            "pdf_check_report": report,
            "pdf_check_date": fields.Datetime.now(),
            "pdf_checked_by_id": self.env.user.id,
        })
        label = dict(self._fields["pdf_check_state"]._description_selection(self.env))[state]
        self.message_post(body=_("Counter-signed PDF checked: %(verdict)s\n%(report)s",
                                 verdict=label, report=report))
        if state == "valid":
            self._do_sign(pdf)
        return state

    @staticmethod
    def _check_verdict(checks, certificate):
        if not checks:
            return "unsigned"
        if not all(check.intact and check.valid for check in checks):
            return "invalid"
        if not all(check.unchanged for check in checks):
            return "modified"
        if not all(check.trusted for check in checks):
            return "untrusted"
        if certificate and certificate.fingerprint not in {c.signer_fingerprint for c in checks}:
            return "no_company_seal"
        return "valid"

    def _problem_labels(self):
        return {
            "not_verifiable": _("the signature cannot be verified (unknown format or "
                                "algorithm, e.g. SM2)"),
            "content_changed": _("the signed content was changed after signing"),
            "signature_mismatch": _("the signature does not match its certificate"),
            "untrusted": _("the certificate does not chain to a configured trusted root"),
            "changed_after": _("the document was changed after this signature"),
        }

    def _check_report(self, checks, filename):
        lines = [_("File: %(name)s", name=filename or "-")]
        for check in checks:
            lines.append(_("%(field)s — %(signer)s, signed %(time)s%(timestamp)s: %(verdict)s",
                           field=check.field_name, signer=check.signer or "?",
                           time=check.signing_time or "?",
                           timestamp=_(" (time-stamped)") if check.timestamped else "",
                           verdict="; ".join(self._problem_labels()[code]
                                             for code in check.problems) or _("valid")))
        if not checks:
            lines.append(_("The PDF has no signature."))
        return "\n".join(lines)
