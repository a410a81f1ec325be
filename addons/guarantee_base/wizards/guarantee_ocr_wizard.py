import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_platform.tools import identifiers, ocr

# field of the wizard -> field of the partner it fills
PARTNER_FIELDS = {
    "name": "name",
    "uscc": "uscc",
    "legal_representative": "legal_representative",
    "registered_capital": "registered_capital",
    "established_date": "established_date",
    "address": "street",
    "business_scope": "business_scope",
}


class GuaranteeOcrWizard(models.TransientModel):
    """AI识别影像文件: read a licence or an ID card into the customer, after the user confirmed
    what was read (fields read with doubt are highlighted)."""

    _name = "guarantee.ocr.wizard"
    _description = "Read a Licence or ID Card"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    kind = fields.Selection(
        [("licence", "Business Licence"), ("id_card", "ID Card")],
        required=True,
        default="licence",
    )
    image = fields.Binary(string="Photo or Scan")
    state = fields.Selection([("upload", "Upload"), ("confirm", "Confirm")], default="upload")
    name = fields.Char()
    uscc = fields.Char(string="USCC / ID Number")
    legal_representative = fields.Char()
    registered_capital = fields.Float()
    established_date = fields.Date()
    address = fields.Char()
    business_scope = fields.Text()
    name_uncertain = fields.Boolean()
    uscc_uncertain = fields.Boolean()
    legal_representative_uncertain = fields.Boolean()
    registered_capital_uncertain = fields.Boolean()
    established_date_uncertain = fields.Boolean()
    address_uncertain = fields.Boolean()
    business_scope_uncertain = fields.Boolean()
    review_note = fields.Text(string="To Check", readonly=True)
    confirmed = fields.Boolean(
        string="I checked the highlighted fields",
        help="Fields read with doubt must be checked against the document before saving.",
    )

    def action_read(self):
        """Run the OCR on the image and propose what it read."""
        self.ensure_one()
        if not self.image:
            raise UserError(_("Upload a photo or scan of the document first."))
        try:
            lines = ocr.read_lines(base64.b64decode(self.image))
        except ocr.OcrUnavailable as error:
            raise UserError(
                _("Reading documents needs the OCR library, which is not installed on the "
                  "server. Ask your administrator to run: %(command)s", command=str(error))
            ) from error
        if not lines:
            raise UserError(_("No text could be read in this image."))
        parsed = ocr.parse_licence(lines) if self.kind == "licence" else ocr.parse_id_card(lines)
        self.write(self._proposal(parsed))
        return self._reopen()

    def _proposal(self, parsed):
        problems = self._problem_labels()
        labels = {name: self._fields[name].get_description(self.env)["string"]
                  for name in PARTNER_FIELDS}
        vals = {"state": "confirm", "confirmed": False}
        notes = []
        for key, (value, score, problem) in parsed.items():
            uncertain = bool(problem) or score < ocr.MIN_CONFIDENCE
            vals[key] = value or False
            vals[key + "_uncertain"] = uncertain
            if uncertain:
                reason = problems.get(problem) if problem else _(
                    "read with a confidence of %(score)s%%", score=round(score * 100)
                )
                notes.append("%s: %s" % (labels[key], reason))
        vals["review_note"] = "\n".join(notes) or False
        return vals

    @api.model
    def _problem_labels(self):
        return {
            "not found": _("not found on the document"),
            "not understood": _("not understood"),
            "wrong check character": _("the USCC check character is wrong"),
            "wrong check digit": _("the ID number check digit is wrong"),
        }

    def action_apply(self):
        """Save the confirmed values on the customer."""
        self.ensure_one()
        if self.state != "confirm":
            raise UserError(_("Read the document before saving what it says."))
        self._check_confirmed()
        vals = {PARTNER_FIELDS[key]: self[key] for key in self._read_keys() if self[key]}
        if self.kind == "id_card":
            vals["is_company"] = False
        self.partner_id.write(vals)
        return {"type": "ir.actions.act_window_close"}

    def _read_keys(self):
        if self.kind == "id_card":
            return ("name", "uscc")
        return tuple(PARTNER_FIELDS)

    def _check_confirmed(self):
        uncertain = [key for key in self._read_keys() if self[key + "_uncertain"]]
        if uncertain and not self.confirmed:
            raise UserError(
                _("Some fields were read with doubt (%(fields)s): check them against the "
                  "document and tick the confirmation before saving.",
                  fields=", ".join(self._fields[key].get_description(self.env)["string"]
                                   for key in uncertain))
            )
        number = identifiers.normalize(self.uscc)
        if number:
            valid = (identifiers.is_valid_resident_id(number) if self.kind == "id_card"
                     else identifiers.is_valid_uscc(number))
            if not valid:
                raise UserError(
                    _("%(number)s fails its check digit: correct it from the document.",
                      number=number)
                )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
