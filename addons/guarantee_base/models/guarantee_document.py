from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .guarantee_document_type import STAGE_ORDER

DOCUMENT_STATES = [
    ("missing", "Missing"),
    ("uploaded", "Uploaded"),
    ("verified", "Verified"),
]

# Who uploaded and who verified are set by the server only; this token proves a write of
# those fields comes from _set_uploaded / action_verify and not from a client.
_STAMP_TOKEN = object()
_STAMP_FIELDS = {"uploaded_by_id", "date_uploaded", "verified_by_id", "date_verified"}


class GuaranteeDocument(models.Model):
    """One line of a project's document checklist: the files of one document type."""

    _name = "guarantee.document"
    _description = "Guarantee Project Document"
    _order = "project_id, stage_sequence, sequence, id"
    _check_company_auto = True

    project_id = fields.Many2one(
        "guarantee.project", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    document_type_id = fields.Many2one(
        "guarantee.document.type", string="Document", required=True, ondelete="restrict"
    )
    name = fields.Char(related="document_type_id.name")
    stage = fields.Selection(related="document_type_id.stage", store=True, index=True)
    stage_sequence = fields.Integer(compute="_compute_stage_sequence", store=True)
    sequence = fields.Integer(related="document_type_id.sequence", store=True)
    required = fields.Boolean(related="document_type_id.required", store=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "guarantee_document_attachment_rel",
        "document_id",
        "attachment_id",
        string="Files",
    )
    state = fields.Selection(
        DOCUMENT_STATES, compute="_compute_state", store=True, index=True, default="missing"
    )
    uploaded_by_id = fields.Many2one("res.users", string="Uploaded By", readonly=True)
    date_uploaded = fields.Datetime(string="Uploaded On", readonly=True)
    verified_by_id = fields.Many2one("res.users", string="Verified By", readonly=True)
    date_verified = fields.Datetime(string="Verified On", readonly=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "project_type_unique",
            "unique(project_id, document_type_id)",
            "A document type appears only once in a project's checklist.",
        ),
    ]

    @api.depends("stage")
    def _compute_stage_sequence(self):
        for document in self:
            document.stage_sequence = STAGE_ORDER.index(document.stage) if document.stage else 0

    @api.depends("attachment_ids", "verified_by_id")
    def _compute_state(self):
        for document in self:
            if not document.attachment_ids:
                document.state = "missing"
            elif document.verified_by_id:
                document.state = "verified"
            else:
                document.state = "uploaded"

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_stamp(vals)
        documents = super().create(vals_list)
        documents.filtered("attachment_ids")._set_uploaded()
        return documents

    def write(self, vals):
        self._check_no_stamp(vals)
        result = super().write(vals)
        if "attachment_ids" in vals:
            self._set_uploaded()
        return result

    # ------------------------------------------------------------------ actions

    def action_verify(self):
        """Risk officers and executives confirm the files; never the person who uploaded them."""
        self._check_can_verify()
        not_uploaded = self.filtered(lambda d: d.state != "uploaded")
        if not_uploaded:
            raise UserError(
                _(
                    "Only uploaded documents not yet verified can be verified: %(documents)s.",
                    documents="、".join(not_uploaded.mapped("name")),
                )
            )
        own = self.filtered(lambda d: d.uploaded_by_id == self.env.user)
        if own:
            raise UserError(
                _(
                    "You uploaded %(documents)s; another person must verify them.",
                    documents="、".join(own.mapped("name")),
                )
            )
        self._stamp({"verified_by_id": self.env.user.id, "date_verified": fields.Datetime.now()})
        return True

    def action_reset_verification(self):
        """Send a verified document back for a new check, e.g. after a finding."""
        self._check_can_verify()
        self._stamp({"verified_by_id": False, "date_verified": False})
        return True

    # ------------------------------------------------------------------ locked files

    @api.model
    def _guarantee_locked_holders(self, attachments):
        """The verified documents holding one of ``attachments`` (ir.attachment's lock)."""
        attached = attachments.filtered(lambda a: a.res_model == self._name)
        return self.search([
            ("state", "=", "verified"),
            "|", ("attachment_ids", "in", attachments.ids), ("id", "in", attached.mapped("res_id")),
        ])

    @api.model
    def _guarantee_locked_targets(self, ids):
        return self.browse(ids).exists().filtered(lambda d: d.state == "verified")

    # ------------------------------------------------------------------ helpers

    def _check_can_verify(self):
        user = self.env.user
        if not (
            user.has_group("guarantee_base.group_guarantee_risk")
            or user.has_group("guarantee_base.group_guarantee_executive")
        ):
            raise UserError(_("Only risk officers and executives can verify documents."))

    @api.model
    def _check_no_stamp(self, vals):
        stamped = self.env.context.get("guarantee_stamp") is _STAMP_TOKEN
        if _STAMP_FIELDS & set(vals) and not stamped:
            raise UserError(
                _("Who uploaded and who verified a document is recorded by the system only.")
            )

    def _stamp(self, values):
        self.with_context(guarantee_stamp=_STAMP_TOKEN).write(values)

    def _set_uploaded(self):
        """Record the uploader, clear an earlier verification (the files changed) and attach
        new files to the document so that access to them follows access to the project."""
        self._stamp(
            {
                "uploaded_by_id": self.env.user.id,
                "date_uploaded": fields.Datetime.now(),
                "verified_by_id": False,
                "date_verified": False,
            }
        )
        for document in self:
            document.attachment_ids.filtered(
                lambda a: not a.res_id and a.create_uid == self.env.user
            ).write({"res_model": self._name, "res_id": document.id})
