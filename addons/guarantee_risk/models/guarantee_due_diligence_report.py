
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfFontError

REPORT_STATES = [("draft", "Draft"), ("signing", "Being Signed"), ("signed", "Signed Off")]
# Written only by the sign-off: who signed, when, and what was produced.
SIGN_FIELDS = (
    "state", "manager_signed_by_id", "manager_signed_date", "assistant_signed_by_id",
    "assistant_signed_date", "attachment_id", "document_id",
)
NARRATIVES = (
    "profile_text", "shareholders_text", "operations_text", "financial_text", "collateral_text",
    "risk_text", "manager_opinion", "assistant_opinion",
)


class GuaranteeDueDiligenceReport(models.Model):
    """尽职调查报告: the A-role's and B-role's report on a project, generated from the data
    (customer, statements and ratios, counter-guarantees, measurement, score) with the sections
    they write, signed off by both (then locked with the statements it used), attached to the
    project's checklist and shown to the committee."""

    _name = "guarantee.due.diligence.report"
    _description = "Due-Diligence Report"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.due.diligence.report"
    _order = "date desc, id desc"
    _check_company_auto = True

    _lock_action_fields = SIGN_FIELDS
    # Once one role signed, both sign what they read: nothing changes any more (a signature
    # withdrawn brings the report back to draft).
    _lock_readonly_states = ("signing", "signed")
    _lock_unlink_states = ("draft",)
    # The first signature takes the report to signing (the second one keeps it there), both
    # sign it off (final); a signature withdrawn before the second one takes it back to draft.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_sign": (("draft",), "signing"),
        "_do_sign_off": (("signing",), "signed"),
        "action_withdraw_signature": (("signing",), "draft"),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, tracking=True, check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(related="project_id.partner_id", store=True, index=True,
                                 string="Customer")
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True,
                                 precompute=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    manager_id = fields.Many2one(related="project_id.manager_id", string="A-Role")
    assistant_id = fields.Many2one(related="project_id.assistant_id", string="B-Role")
    date = fields.Date(string="Report Date", required=True, default=fields.Date.context_today)
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True,
                             copy=False, index=True, tracking=True)
    statement_ids = fields.Many2many(
        "guarantee.financial.statement",
        "guarantee_dd_report_statement_rel",
        "report_id",
        "statement_id",
        string="Statements",
        domain="[('partner_id', '=', partner_id), ('state', 'in', ('confirmed', 'locked'))]",
        help="The statements the report analyses (usually the last three years); they are "
        "locked when the report is signed off.",
    )
    measurement_id = fields.Many2one(
        "guarantee.credit.measurement",
        string="Credit-Line Measurement",
        check_company=True,
        domain="[('partner_id', '=', partner_id), ('state', '=', 'confirmed')]",
    )
    shareholder_ids = fields.One2many(
        "guarantee.due.diligence.shareholder", "report_id", string="Shareholders", copy=True
    )
    profile_text = fields.Text(string="Customer Profile",
                               help="History, ownership, management and business scope.")
    shareholders_text = fields.Text(string="Shareholders and Related Parties")
    operations_text = fields.Text(string="Operations",
                                  help="Products, suppliers, customers, capacity, orders.")
    financial_text = fields.Text(string="Financial Analysis")
    collateral_text = fields.Text(string="Counter-Guarantee Analysis")
    risk_text = fields.Text(string="Risks Found")
    manager_opinion = fields.Text(string="A-Role's Opinion")
    assistant_opinion = fields.Text(string="B-Role's Opinion")
    manager_signed_by_id = fields.Many2one("res.users", string="Signed by (A-Role)",
                                           readonly=True, copy=False)
    manager_signed_date = fields.Datetime(string="A-Role Signed On", readonly=True, copy=False)
    assistant_signed_by_id = fields.Many2one("res.users", string="Signed by (B-Role)",
                                             readonly=True, copy=False)
    assistant_signed_date = fields.Datetime(string="B-Role Signed On", readonly=True,
                                            copy=False)
    attachment_id = fields.Many2one("ir.attachment", string="Signed PDF", readonly=True,
                                    copy=False)
    document_id = fields.Many2one("guarantee.document", string="Checklist Item", readonly=True,
                                  copy=False)
    can_sign = fields.Boolean(compute="_compute_can_sign")
    sign_blockers = fields.Text(string="Before Signing", compute="_compute_can_sign")

    # ------------------------------------------------------------------ computes

    @api.depends_context("uid")
    @api.depends("state", "manager_signed_by_id", "assistant_signed_by_id", "manager_opinion",
                 "assistant_opinion", "statement_ids", "project_id")
    def _compute_can_sign(self):
        for report in self:
            blockers = report._sign_blockers()
            report.can_sign = not blockers
            report.sign_blockers = "\n".join(blockers)

    # ------------------------------------------------------------------ CRUD

    @api.onchange("project_id")
    def _onchange_project_id(self):
        partner = self.project_id.partner_id
        if not partner:
            return
        statements = self.env["guarantee.financial.statement"].search(
            [("partner_id", "=", partner.id), ("kind", "=", "annual"),
             ("state", "in", ("confirmed", "locked"))],
            order="date_end desc", limit=3,
        )
        self.statement_ids = statements
        self.measurement_id = self.env["guarantee.credit.measurement"].search(
            [("partner_id", "=", partner.id), ("state", "=", "confirmed")],
            order="date desc, id desc", limit=1,
        )

    # ------------------------------------------------------------------ actions

    def action_sign(self):
        """Sign as the A-role or the B-role of the project; the second signature signs the
        report off: its PDF is made, attached to the checklist and locked with its
        statements."""
        self.ensure_one()
        blockers = self._sign_blockers()
        if blockers:
            raise UserError(_("The report cannot be signed:\n%s", "\n".join(blockers)))
        now = fields.Datetime.now()
        values = {"state": "signing"}
        if self.env.user == self.manager_id:
            values.update(manager_signed_by_id=self.env.uid, manager_signed_date=now)
        else:
            values.update(assistant_signed_by_id=self.env.uid, assistant_signed_date=now)
        self._unlocked().write(values)
        self.message_post(body=_("Signed by %(user)s.", user=self.env.user.name))
        if self.manager_signed_by_id and self.assistant_signed_by_id:
            self._do_sign_off()
        return True

    def action_withdraw_signature(self):
        """Before both signed, either role may take the report back to draft to change it."""
        self.ensure_one()
        if self.state != "signing":
            raise UserError(_("Only a report waiting for its second signature can be taken back."))
        if self.env.user not in (self.manager_id | self.assistant_id):
            raise UserError(_("Only the A-role and the B-role of the project sign its report."))
        self.check_access("write")
        self._unlocked().write({
            "state": "draft",
            "manager_signed_by_id": False,
            "manager_signed_date": False,
            "assistant_signed_by_id": False,
            "assistant_signed_date": False,
        })
        self.message_post(body=_("Signatures withdrawn by %(user)s.", user=self.env.user.name))
        return True

    def action_preview_pdf(self):
        """The report as it reads now, as a PDF marked as a draft (nothing is attached)."""
        self.ensure_one()
        self.check_access("read")
        content = self._render_pdf(draft=self.state != "signed")
        attachment = self.env["ir.attachment"].create({
            "name": _("%(name)s %(report)s (draft).pdf", name=self.name,
                      report=_("Due-Diligence Report")),
            "raw": content,
            "mimetype": "application/pdf",
            "res_model": self._name,
            "res_id": self.id,
        })
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    def action_open_pdf(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(_("The report has no signed PDF yet."))
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % self.attachment_id.id,
            "target": "self",
        }

    # ------------------------------------------------------------------ signing

    def _sign_blockers(self):
        """Every reason why the current user cannot sign now."""
        self.ensure_one()
        user = self.env.user
        blockers = []
        if self.state == "signed":
            return [_("The report is signed off.")]
        if user not in (self.manager_id | self.assistant_id):
            blockers.append(_("Only the A-role and the B-role of the project sign its report."))
        elif (user == self.manager_id and self.manager_signed_by_id) or (
            user == self.assistant_id and self.assistant_signed_by_id
        ):
            blockers.append(_("You have signed this report already."))
        if not (self.manager_opinion or "").strip():
            blockers.append(_("The A-role's opinion is missing."))
        if not (self.assistant_opinion or "").strip():
            blockers.append(_("The B-role's opinion is missing."))
        if not self.statement_ids:
            blockers.append(_("Choose the financial statements the report analyses."))
        drafts = self.statement_ids.filtered(lambda s: s.state == "draft")
        if drafts:
            blockers.append(_("These statements are not confirmed: %(statements)s.",
                              statements=", ".join(drafts.mapped("display_name"))))
        if self.measurement_id and self.measurement_id.state != "confirmed":
            blockers.append(_("The measurement is not confirmed."))
        return blockers

    def _do_sign_off(self):
        """Both signed: make the PDF, attach it to the project's checklist, lock the
        statements."""
        try:
            content = self._render_pdf(draft=False)
        except PdfFontError as error:
            raise UserError(str(error)) from error
        attachment = self.env["ir.attachment"].create({
            "name": "%s %s.pdf" % (self.name, _("Due-Diligence Report")),
            "raw": content,
            "mimetype": "application/pdf",
            "res_model": self._name,
            "res_id": self.id,
        })
        document = self._checklist_document()
        if document:
            document.write({"attachment_ids": [(4, attachment.id)]})
        self._unlocked().write({
            "state": "signed",
            "attachment_id": attachment.id,
            "document_id": document.id,
        })
        self.statement_ids.filtered(lambda s: s.state != "locked")._unlocked().write(
            {"state": "locked"}
        )
        self.message_post(body=_("Signed off by both roles."), attachment_ids=attachment.ids)

    def _checklist_document(self):
        """The project's checklist item for the due-diligence report (尽职调查报告)."""
        doc_type = self.env.ref(
            "guarantee_base.guarantee_document_type_due_diligence_report",
            raise_if_not_found=False,
        )
        documents = self.project_id.document_ids
        return documents.filtered(lambda d: d.document_type_id == doc_type)[:1] or \
            documents.filtered(lambda d: d.document_type_id.code == "DD-RPT")[:1]

    def _render_pdf(self, draft):
        """The PDF bytes (tools of guarantee_base's one PDF pipeline), in Chinese when it is
        installed: the committee's language."""
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        return self.with_context(lang=lang)._build_pdf(draft)

    def _build_pdf(self, draft):
        return self.env["guarantee.due.diligence.pdf"]._build(self, draft)
