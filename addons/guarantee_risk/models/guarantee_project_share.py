from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# The project states in which its split may still be changed (as its own share could be).
OPEN_PROJECT_STATES = ("draft", "accepted", "investigating")
_FROZEN_STATES = ("reviewing", "approved", "rejected", "contracted", "active", "released",
                  "compensated", "closed", "cancelled")


class GuaranteeProjectShare(models.Model):
    """One party's share of a project's risk, under its agreement. The project keeps
    100 − the shares its agreements cover (``own_share``)."""

    _name = "guarantee.project.share"
    _description = "Project Risk Share"
    _inherit = ["guarantee.lock.mixin"]
    _order = "project_id, sequence, id"
    _check_company_auto = True

    # The split is the project's: frozen with its reviewed terms, deleted only while open.
    _lock_state_field = "project_state"
    _lock_action_fields = ("eligible", "ineligible_reason")
    _lock_fields_by_state = dict.fromkeys(
        _FROZEN_STATES, ("project_id", "agreement_id", "share")
    )
    _lock_unlink_states = OPEN_PROJECT_STATES

    sequence = fields.Integer(default=10)
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="cascade", check_company=True
    )
    project_state = fields.Selection(related="project_id.state", string="Project Status")
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="project_id.currency_id")
    agreement_id = fields.Many2one(
        "guarantee.share.agreement", string="Agreement", required=True, index=True,
        ondelete="restrict", check_company=True,
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, index=True, string="Sharing Party"
    )
    kind = fields.Selection(related="agreement_id.kind", store=True, index=True)
    share = fields.Float(
        string="Share (%)", digits=(16, 2), required=True,
        compute="_compute_share", store=True, readonly=False, precompute=True,
    )
    project_amount = fields.Monetary(
        related="project_id.amount", store=True, currency_field="currency_id"
    )
    eligible = fields.Boolean(
        readonly=True, copy=False,
        help="The project meets the agreement's eligibility (products, customer, caps, "
        "quota, dates), as checked by the system.",
    )
    ineligible_reason = fields.Text(string="Why Not Covered", readonly=True, copy=False)
    filing_state = fields.Selection(
        [("to_file", "To File"), ("filed", "Filed"), ("accepted", "Accepted"),
         ("refused", "Refused")],
        compute="_compute_filing_state", store=True,
    )
    covered = fields.Boolean(
        compute="_compute_covered", store=True, index=True,
        help="The party carries its share: the project is eligible and its filing, if the "
        "agreement asks for one, was not refused.",
    )
    covered_amount = fields.Monetary(
        string="Amount Covered", compute="_compute_covered", store=True,
        currency_field="currency_id",
    )

    _sql_constraints = [
        ("project_agreement_unique", "unique(project_id, agreement_id)",
         "A project has one share per agreement."),
    ]

    @api.depends("agreement_id")
    def _compute_share(self):
        for line in self:
            line.share = line.agreement_id.share

    @api.depends("project_id.share_filing_ids.state", "agreement_id")
    def _compute_filing_state(self):
        for line in self:
            filing = line.project_id.share_filing_ids.filtered(
                lambda f, line=line: f.agreement_id == line.agreement_id)[:1]
            line.filing_state = filing.state or False

    @api.depends("eligible", "filing_state", "share", "project_amount")
    def _compute_covered(self):
        for line in self:
            line.covered = line.eligible and line.filing_state != "refused"
            line.covered_amount = (
                line.currency_id.round(line.project_amount * line.share / 100.0)
                if line.covered else 0.0
            )

    @api.constrains("share")
    def _check_share(self):
        for line in self:
            if not 0 < line.share < 100:
                raise ValidationError(_("A party's share must be above 0% and below 100%."))

    @api.constrains("project_id", "share")
    def _check_total(self):
        for project in self.project_id:
            if sum(project.share_ids.mapped("share")) >= 100:
                raise ValidationError(
                    _("The shares of %(project)s add up to 100%% or more: the company must "
                      "keep part of the risk.", project=project.display_name))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        from_action = self._lock_is_unlocked()
        projects = self.env["guarantee.project"].browse(
            [vals.get("project_id") for vals in vals_list])
        if not from_action and any(p.state not in OPEN_PROJECT_STATES for p in projects):
            raise UserError(_("A project's split is set before it is submitted for review."))
        lines = super().create(vals_list)
        lines._check_eligibility()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if {"agreement_id", "share", "project_id"} & set(vals):
            self._check_eligibility()
        return result

    def unlink(self):
        projects = self.project_id
        result = super().unlink()
        projects.exists()._after_split_change()
        return result

    # ------------------------------------------------------------------ business

    @api.model
    def _import_split(self, vals_list):
        """Record the split of projects that went through their approvals before it was
        recorded here (a ledger of history, the demo): server-only, like the ledger import.
        Eligibility is checked as usual, and a project already in force gets its filings."""
        lines = self._unlocked().create(vals_list)
        lines.project_id.filtered(lambda p: p.state == "active")._create_share_filings()
        return lines

    def _check_eligibility(self):
        """Check each line against its agreement, record the outcome (the project's own
        share follows), and say so on the project when a line is not covered."""
        for line in self:
            reasons = line.agreement_id._ineligibility(line.project_id)
            reason = "; ".join(reasons) or False
            if line.eligible != (not reasons) or line.ineligible_reason != reason:
                line._unlocked().write({"eligible": not reasons, "ineligible_reason": reason})
                if reasons:
                    line.project_id.sudo().message_post(body=_(
                        "%(party)s does not cover this project: %(reasons)s.",
                        party=line.agreement_id.display_name, reasons=reason))
        self.project_id._after_split_change()
