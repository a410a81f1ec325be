import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_platform.tools.connectors import ConnectorError

FILING_STATES = [
    ("to_file", "To File"),
    ("filed", "Filed"),
    ("accepted", "Accepted"),
    ("refused", "Refused"),
]


class GuaranteeShareFiling(models.Model):
    """备案: a project filed with the counterparty of a risk-sharing agreement. Unfiled past
    its deadline, the project would lose its cover; a refused filing has none."""

    _name = "guarantee.share.filing"
    _description = "Risk-Sharing Filing"
    _inherit = ["mail.thread", "mail.activity.mixin", "guarantee.lock.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True

    _lock_action_fields = (
        "state", "date_deadline", "date_filed", "date_decided", "reference", "refuse_reason",
        "request_id", "project_id", "agreement_id",
    )
    _lock_readonly_states = ("accepted", "refused")
    _lock_unlink_states = ()
    # Listed to file when the loan is released, filed, then accepted or refused (final);
    # refused also before it was filed.
    _lock_initial_state = "to_file"
    _lock_transitions = {
        "action_mark_filed": (("to_file",), "filed"),
        "action_accept": (("filed",), "accepted"),
        "action_refuse": (("to_file", "filed"), "refused"),
    }

    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="restrict", readonly=True,
        check_company=True,
    )
    agreement_id = fields.Many2one(
        "guarantee.share.agreement", string="Agreement", required=True, index=True,
        ondelete="restrict", readonly=True, check_company=True,
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="project_id.currency_id")
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, index=True, string="Counterparty"
    )
    borrower_id = fields.Many2one(related="project_id.partner_id", string="Borrower")
    share = fields.Float(string="Share (%)", compute="_compute_share", digits=(16, 2))
    covered_amount = fields.Monetary(
        string="Amount Covered", compute="_compute_share", currency_field="currency_id"
    )
    date_deadline = fields.Date(string="Deadline", required=True, readonly=True, index=True,
                                tracking=True)
    date_filed = fields.Date(string="Filed On", readonly=True, copy=False, tracking=True)
    date_decided = fields.Date(string="Decided On", readonly=True, copy=False, tracking=True)
    reference = fields.Char(
        string="Filing Reference", readonly=True, copy=False, tracking=True,
        help="The counterparty's number for this filing (备案编号).",
    )
    refuse_reason = fields.Text(readonly=True, copy=False, tracking=True)
    request_id = fields.Char(
        string="Request ID", readonly=True, copy=False, index=True,
        default=lambda self: uuid.uuid4().hex,
        help="Sent with every attempt through the connector, so a retry files once.",
    )
    state = fields.Selection(
        FILING_STATES, default="to_file", required=True, readonly=True, copy=False,
        index=True, tracking=True,
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )

    _sql_constraints = [
        ("project_agreement_unique", "unique(project_id, agreement_id)",
         "A project is filed once per agreement."),
    ]

    @api.depends("project_id.share_ids.share", "project_id.amount", "agreement_id")
    def _compute_share(self):
        for filing in self:
            line = filing.project_id.share_ids.filtered(
                lambda s, filing=filing: s.agreement_id == filing.agreement_id)[:1]
            filing.share = line.share
            filing.covered_amount = filing.currency_id.round(
                filing.project_id.amount * line.share / 100.0)

    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for filing in self:
            filing.is_overdue = filing.state == "to_file" and filing.date_deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue filings."))
        overdue = [("state", "=", "to_file"),
                   ("date_deadline", "<", fields.Date.context_today(self))]
        return overdue if (operator == "=") == value else ["!"] + ["&"] + overdue

    @api.depends("project_id", "agreement_id")
    def _compute_display_name(self):
        for filing in self:
            filing.display_name = "%s · %s" % (filing.project_id.name or "",
                                               filing.partner_id.name or "")

    @api.model_create_multi
    def create(self, vals_list):
        if not self._lock_is_unlocked():
            raise UserError(_("Filings are listed by the system when a covered loan is "
                              "released."))
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions

    def action_mark_filed(self, reference=None):
        """Finance filed the projects (uploaded the exported file, or by hand)."""
        self._check_can("filed", ("to_file",))
        values = {"state": "filed", "date_filed": fields.Date.context_today(self)}
        if reference:
            values["reference"] = reference
        self._unlocked().write(values)
        return True

    def action_accept(self, reference=None):
        self._check_can("accepted", ("filed",))
        values = {"state": "accepted", "date_decided": fields.Date.context_today(self)}
        if reference:
            values["reference"] = reference
        self._unlocked().write(values)
        return True

    def action_refuse(self, reason=None):
        """The counterparty refused the filing: the project loses that party's cover."""
        if not (reason or "").strip():
            return {
                "type": "ir.actions.act_window",
                "name": _("Reason for the Refusal"),
                "res_model": "guarantee.share.filing.refuse.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_filing_ids": self.ids},
            }
        self._check_can("refused", ("filed", "to_file"))
        self._unlocked().write({"state": "refused", "refuse_reason": reason,
                                "date_decided": fields.Date.context_today(self)})
        self._after_cover_change()
        return True

    def action_send(self):
        """File each project through its agreement's connector (a retry carries the same
        request id, so the counterparty files it once)."""
        self._check_can("filed", ("to_file",))
        missing = self.filtered(lambda f: not f.agreement_id.connector_id)
        if missing:
            raise UserError(_("%(agreements)s files no projects through a connector: export "
                              "the file instead.",
                              agreements=", ".join(missing.agreement_id.mapped("name"))))
        for filing in self:
            filing._send()
        return True

    def action_export_xlsx(self):
        """The filing file of one agreement, in the columns it defines."""
        if len(self.agreement_id) != 1:
            raise UserError(_("Export the filings of one agreement at a time."))
        return self.env.ref("guarantee_risk.guarantee_share_filing_xlsx").report_action(self)

    # ------------------------------------------------------------------ business

    def _check_can(self, new_state, from_states):
        """One UserError naming every filing that cannot move to ``new_state``."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        wrong = self.filtered(lambda f: f.state not in from_states)
        if wrong:
            raise UserError(_(
                "%(filings)s cannot become %(state)s: only a filing that is %(allowed)s can.",
                filings=", ".join(wrong.mapped("display_name")), state=labels[new_state],
                allowed=" / ".join(labels[s] for s in from_states)))

    def _send(self):
        self.ensure_one()
        connector = self.agreement_id.connector_id
        adapter = connector._connector_adapter(record=self)
        try:
            answer = adapter.file(self.request_id, self._filing_row())
        except ConnectorError as error:
            raise UserError(_("%(filing)s could not be filed with %(party)s: %(error)s",
                              filing=self.display_name, party=self.partner_id.name,
                              error=connector._redact(str(error)))) from None
        self.action_mark_filed(reference=answer.get("reference"))
        if answer["status"] == "accepted":
            self.action_accept()
        elif answer["status"] == "refused":
            self.action_refuse(answer.get("reason") or _("refused by %(party)s",
                                                         party=self.partner_id.name))
        return answer

    def _filing_row(self):
        """{key: value} of every column a filing file may hold."""
        self.ensure_one()
        project = self.project_id
        partner = project.partner_id
        scales = dict(partner._fields["enterprise_scale"]._description_selection(self.env))
        return {
            "project": project.name,
            "legacy_ref": project.legacy_ref or "",
            "borrower": partner.name,
            "uscc": partner.uscc or "",
            "scale": scales.get(partner.enterprise_scale, ""),
            "agricultural": _("Yes") if partner.is_agricultural else _("No"),
            "industry": project.industry_id.display_name or "",
            "region": project.region_id.name or "",
            "product": project.product_id.name,
            "bank": project.creditor_id.name or "",
            "amount": project.amount,
            "loan_amount": project.loan_amount_released,
            "share": self.share,
            "covered_amount": self.covered_amount,
            "fee_rate": project.fee_rate,
            "term_months": project.term_months,
            "loan_release_date": project.loan_release_date,
            "date_end": project.date_end,
            "deadline": self.date_deadline,
        }

    def _after_cover_change(self):
        """A refused filing takes the party's cover away: the project's own share rises."""
        self.project_id.share_ids.invalidate_recordset(["filing_state", "covered"])
        self.env["guarantee.exposure"].sudo()._refresh_partners(self.project_id.partner_id)

    @api.model
    def _overdue_warnings(self, today):
        """A warning on each project with a filing still to file past its deadline (once per
        filing): the project would lose that party's cover."""
        filings = self.sudo().search([("state", "=", "to_file"), ("date_deadline", "<", today)])
        Signal = self.env["guarantee.risk.signal"].sudo()._unlocked()
        keys = {"share_filing:%s" % filing.id: filing for filing in filings}
        known = set(Signal.search([("provider_event_id", "in", list(keys))])
                    .mapped("provider_event_id"))
        vals_list = []
        for key, filing in keys.items():
            if key in known:
                continue
            project = filing.project_id
            vals_list.append({
                "project_id": project.id,
                "signal_type": "share_filing_overdue",
                "kind": "other",
                "severity": "high",
                "date": today,
                "source": filing.partner_id.name,
                "provider_event_id": key,
                "amount": filing.covered_amount,
                "description": self.env._(
                    "%(project)s is not filed with %(party)s; its deadline was %(deadline)s. "
                    "Unfiled, the project loses the cover of %(amount)s.",
                    project=project.name, party=filing.partner_id.name,
                    deadline=filing.date_deadline,
                    amount=project._format_amount(filing.covered_amount)),
            })
        return Signal.create(vals_list)
