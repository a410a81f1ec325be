from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.guarantee_base.models.guarantee_project import RISK_CLASSES

SIGNAL_KINDS = [
    ("overdue", "Overdue"),
    ("litigation", "Litigation"),
    ("financial", "Financial Deterioration"),
    ("collateral", "Collateral"),
    ("other", "Other"),
]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
SIGNAL_TYPES = [
    ("overdue", "Overdue Repayment"),
    ("legal_rep_change", "Legal Representative Changed"),
    ("shareholder_change", "Shareholders Changed"),
    ("capital_change", "Registered Capital Changed"),
    ("address_change", "Address Changed"),
    ("name_change", "Company Name Changed"),
    ("lawsuit", "New Lawsuit"),
    ("judgment", "New Judgment"),
    ("enforcement", "Enforcement (被执行人)"),
    ("dishonest", "Dishonest Debtor (失信)"),
    ("penalty", "Administrative Penalty"),
    ("abnormal", "Abnormal Operation List"),
    ("tax_grade", "Tax Credit Grade Changed"),
    ("other", "Other"),
]
KIND_OF_TYPE = {
    "overdue": "overdue",
    "lawsuit": "litigation",
    "judgment": "litigation",
    "enforcement": "litigation",
    "dishonest": "litigation",
    "capital_change": "financial",
    "tax_grade": "financial",
    "penalty": "financial",
}
SIGNAL_STATES = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("handled", "Handled"),
    ("dismissed", "Dismissed"),
]
OPEN_STATES = ("new", "acknowledged")


class GuaranteeRiskSignal(models.Model):
    """预警信号: something that may make a guarantee go bad (an overdue repayment, a lawsuit…)."""

    _name = "guarantee.risk.signal"
    _description = "Early-Warning Signal"
    _inherit = ["mail.thread", "mail.activity.mixin", "guarantee.lock.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # What the system decides about a signal: where it came from (a provider's or a job's
    # identity of the fact, which keeps the same fact from raising two signals), what its
    # warning rule set, the class change proposed from it; and its state.
    _lock_action_fields = (
        "state", "provider_id", "provider_event_id", "rule_id", "suggested_risk_class",
        "response_deadline", "classification_id",
    )
    # New, acknowledged, then handled or dismissed; a closed signal is reopened as
    # acknowledged, never new again.
    _lock_initial_state = "new"
    _lock_transitions = {
        "action_acknowledge": (("new",), "acknowledged"),
        "action_handle": (OPEN_STATES, "handled"),
        "action_dismiss": (OPEN_STATES, "dismissed"),
        "action_reopen": (("handled", "dismissed"), "acknowledged"),
    }

    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner", compute="_compute_partner_id", store=True, readonly=False,
        precompute=True, index=True,
        help="The customer or guarantor the signal is about (by default the applicant).",
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    kind = fields.Selection(SIGNAL_KINDS, required=True, default="other", tracking=True)
    signal_type = fields.Selection(SIGNAL_TYPES, string="Type", required=True, default="other",
                                   index=True, tracking=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True,
                                index=True)
    source = fields.Char(help="Where the signal came from, e.g. bank, registry, court, manual.")
    source_label = fields.Char(
        string="Source Label", compute="_compute_source_label",
        help="The source in words: the usual codes (bank, court...) translated.",
    )
    provider_id = fields.Many2one("guarantee.data.provider", index=True, ondelete="restrict",
                                  readonly=True)
    provider_event_id = fields.Char(
        string="Provider Event ID", index=True, readonly=True,
        help="The provider's identity of this fact: the same fact never raises two signals.",
    )
    amount = fields.Monetary(currency_field="currency_id", help="Amount at stake, if any.")
    description = fields.Text()
    days_overdue = fields.Integer(string="Days Overdue")
    rule_id = fields.Many2one("guarantee.warning.rule", string="Warning Rule", readonly=True,
                              ondelete="set null")
    suggested_risk_class = fields.Selection(RISK_CLASSES, readonly=True)
    response_deadline = fields.Date(readonly=True, index=True)
    state = fields.Selection(
        SIGNAL_STATES, default="new", required=True, index=True, tracking=True, readonly=True,
    )
    handling_note = fields.Text(tracking=True)
    dismiss_reason = fields.Text(tracking=True)
    classification_id = fields.Many2one("guarantee.risk.classification", readonly=True,
                                        copy=False)

    _sql_constraints = [
        ("provider_event_unique", "unique(provider_id, provider_event_id)",
         "This fact of this provider already raised a signal."),
    ]

    def _source_labels(self):
        return {
            "bank": _("Bank"),
            "court": _("Court"),
            "registry": _("Business Registry"),
            "tax": _("Tax Authority"),
            "manual": _("Entered by Hand"),
        }

    @api.depends("source")
    def _compute_source_label(self):
        labels = self._source_labels()
        for signal in self:
            code = (signal.source or "").strip()
            signal.source_label = labels.get(code.lower(), code)

    @api.depends("project_id")
    def _compute_partner_id(self):
        for signal in self:
            if not signal.partner_id:
                signal.partner_id = signal.project_id.partner_id

    @api.depends("project_id", "signal_type", "date")
    def _compute_display_name(self):
        types = dict(self._fields["signal_type"]._description_selection(self.env))
        for signal in self:
            signal.display_name = "%s · %s · %s" % (
                signal.project_id.name or "",
                types.get(signal.signal_type, ""),
                signal.date or "",
            )

    @api.constrains("days_overdue")
    def _check_days_overdue(self):
        if any(signal.days_overdue < 0 for signal in self):
            raise ValidationError(_("Days overdue cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("signal_type") and "kind" not in vals:
                vals["kind"] = KIND_OF_TYPE.get(vals["signal_type"], "other")
            elif vals.get("kind") == "overdue" and "signal_type" not in vals:
                vals["signal_type"] = "overdue"
        signals = super().create(vals_list)
        signals._apply_warning_rules()
        return signals

    # ------------------------------------------------------------------ actions

    def action_acknowledge(self):
        self._check_state(("new",), _("Only new warnings can be acknowledged."))
        return self._set_state("acknowledged")

    def action_handle(self):
        self._check_state(OPEN_STATES, _("Only open warnings can be marked as handled."))
        return self._set_state("handled")

    def action_dismiss(self):
        self._check_state(OPEN_STATES, _("Only open warnings can be dismissed."))
        missing = self.filtered(lambda signal: not (signal.dismiss_reason or "").strip())
        if missing:
            raise UserError(_("Give the reason for dismissing %(signals)s.",
                              signals=", ".join(missing.mapped("display_name"))))
        return self._set_state("dismissed")

    def action_reopen(self):
        self._check_state(("handled", "dismissed"), _("Only closed warnings can be reopened."))
        return self._set_state("acknowledged")

    def action_propose_classification(self):
        """Open a classification change of the project, to go through its approval."""
        self.ensure_one()
        if self.state not in ("acknowledged", "handled"):
            raise UserError(_("Acknowledge or handle the warning before proposing a class."))
        if not self.classification_id:
            new_class = self.suggested_risk_class or self.project_id.risk_class
            change = self.env["guarantee.risk.classification"].create({
                "project_id": self.project_id.id,
                "new_class": new_class,
                "reason": _("Proposed from warning %(signal)s: %(description)s",
                            signal=self.display_name, description=self.description or "-"),
            })
            self._unlocked().write({"classification_id": change.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.risk.classification",
            "res_id": self.classification_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ business

    def _check_state(self, states, message):
        if any(signal.state not in states for signal in self):
            raise UserError(message)

    def _set_state(self, state):
        self._unlocked().write({"state": state})
        if state in ("handled", "dismissed"):
            self.activity_ids.sudo().action_done()
        return True

    def _apply_warning_rules(self):
        """Severity, suggested class, deadline and the people told, from the first matching
        rule of the signal's company."""
        rules = self.env["guarantee.warning.rule"].sudo().search(
            [("company_id", "in", self.company_id.ids)])
        for signal in self:
            company = signal.company_id
            rule = rules.filtered(lambda r, company=company: r.company_id == company)._match(signal)
            if not rule:
                continue
            signal.sudo()._unlocked().write({
                "rule_id": rule.id,
                "severity": rule.severity,
                "suggested_risk_class": rule.suggested_risk_class or False,
                "response_deadline": fields.Date.add(signal.date, days=rule.response_days),
            })
            rule._notify(signal)

    @api.model
    def _create_from_changes(self, provider, changes_by_partner):
        """One signal per change seen at ``provider``, none for a fact already signalled."""
        keys = {
            "%s:%s" % (partner.uscc, change["key"])
            for partner, changes in changes_by_partner.items() for change in changes
        }
        if not keys:
            return self.browse()
        known = set(self.sudo().search([
            ("provider_id", "=", provider.id), ("provider_event_id", "in", list(keys)),
        ]).mapped("provider_event_id"))
        projects = self.env["res.partner"].browse(
            [p.id for p in changes_by_partner])._guarantee_watched_projects()
        types = dict(self._fields["signal_type"]._description_selection(self.env))
        vals_list = []
        for partner, changes in changes_by_partner.items():
            project = projects.get(partner.id)
            for change in changes:
                key = "%s:%s" % (partner.uscc, change["key"])
                if key in known or not project:
                    continue
                known.add(key)
                vals_list.append({
                    "project_id": project.id,
                    "partner_id": partner.id,
                    "signal_type": change["type"],
                    "source": provider.name,
                    "provider_id": provider.id,
                    "provider_event_id": key,
                    "amount": change["amount"],
                    "date": change["date"] or fields.Date.context_today(self),
                    "description": "%s: %s（%s）" % (partner.name, types[change["type"]],
                                                    change["text"]),
                })
        return self.sudo()._unlocked().create(vals_list)
