from odoo import _, api, fields, models

from .guarantee_document_type import FIRST_VERIFIED_STAGE, STAGE_ORDER


class GuaranteeProject(models.Model):
    """The document checklist of a project and the gate it puts on each step."""

    _inherit = "guarantee.project"

    document_ids = fields.One2many("guarantee.document", "project_id", string="Documents")
    document_missing_count = fields.Integer(
        compute="_compute_document_counts", string="Missing Documents"
    )
    document_unverified_count = fields.Integer(
        compute="_compute_document_counts", string="Documents to Verify"
    )

    @api.depends("document_ids.state", "document_ids.required")
    def _compute_document_counts(self):
        for project in self:
            required = project.document_ids.filtered("required")
            project.document_missing_count = len(
                required.filtered(lambda d: d.state == "missing")
            )
            project.document_unverified_count = len(
                project.document_ids.filtered(lambda d: d.state == "uploaded")
            )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        projects = super().create(vals_list)
        projects._sync_documents()
        return projects

    def write(self, vals):
        result = super().write(vals)
        if "product_id" in vals:
            self._sync_documents()
        return result

    # ------------------------------------------------------------------ actions

    def action_refresh_documents(self):
        """Add the documents the product now asks for (after an admin changed its checklist)."""
        self._sync_documents()
        return True

    # ------------------------------------------------------------------ gates

    def _transition_blockers(self, step, **options):
        blockers = super()._transition_blockers(step, **options)
        if step not in STAGE_ORDER or self.state not in self._lock_transitions[step][0]:
            return blockers
        missing, unverified = self._document_gaps(step)
        if missing:
            blockers.append(
                _("Required documents missing: %(documents)s.", documents="、".join(missing))
            )
        if unverified:
            blockers.append(
                _(
                    "Required documents not verified yet: %(documents)s.",
                    documents="、".join(unverified),
                )
            )
        return blockers

    def _document_gaps(self, step):
        """Names of the required documents that block ``step``: those of this step not
        uploaded; from approval on, every required document up to this step not verified."""
        self.ensure_one()
        position = STAGE_ORDER.index(step)
        needs_verification = position >= STAGE_ORDER.index(FIRST_VERIFIED_STAGE)
        missing, unverified = [], []
        for document in self.document_ids.filtered("required"):
            document_position = STAGE_ORDER.index(document.stage)
            if document.stage == step and document.state == "missing":
                missing.append(document.name)
            elif (
                needs_verification
                and document_position <= position
                and document.state != "verified"
            ):
                unverified.append(document.name)
        return missing, unverified

    # ------------------------------------------------------------------ helpers

    def _sync_documents(self):
        """Give each project one checklist line per document type of its product, and drop
        the empty lines of types its product no longer asks for."""
        projects = self.filtered("product_id")
        if not projects:
            return
        types = projects.product_id.document_type_ids
        to_create = []
        for project in projects:
            wanted = types.filtered(
                lambda t, p=project: p.product_id in t.product_ids
                and t.company_id in (p.company_id, self.env["res.company"])
            )
            present = project.document_ids.document_type_id
            to_create += [
                {"project_id": project.id, "document_type_id": doc_type.id}
                for doc_type in wanted - present
            ]
        stale = projects.document_ids.filtered(
            lambda d: d.state == "missing"
            and d.project_id.product_id not in d.document_type_id.product_ids
        )
        # The checklist is kept by the system whoever changed the product.
        stale.sudo().unlink()
        self.env["guarantee.document"].sudo().create(to_create)
