from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

SIGNAL_KINDS = [
    ("overdue", "Overdue"),
    ("litigation", "Litigation"),
    ("financial", "Financial Deterioration"),
    ("collateral", "Collateral"),
    ("other", "Other"),
]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class GuaranteeRiskSignal(models.Model):
    """预警信号: something that may make a guarantee go bad (an overdue repayment, a lawsuit…)."""

    _name = "guarantee.risk.signal"
    _description = "Early-Warning Signal"
    _inherit = ["mail.thread", "mail.activity.mixin", "guarantee.lock.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="project_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    kind = fields.Selection(SIGNAL_KINDS, required=True, default="other", tracking=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    source = fields.Char(help="Where the signal came from, e.g. bank, registry, court, manual.")
    description = fields.Text()
    days_overdue = fields.Integer(string="Days Overdue")
    state = fields.Selection(
        [("open", "Open"), ("handled", "Handled")],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )
    handling_note = fields.Text(tracking=True)

    @api.depends("project_id", "kind", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for signal in self:
            signal.display_name = "%s · %s · %s" % (
                signal.project_id.name or "",
                kinds.get(signal.kind, ""),
                signal.date or "",
            )

    @api.constrains("days_overdue")
    def _check_days_overdue(self):
        if any(signal.days_overdue < 0 for signal in self):
            raise ValidationError(_("Days overdue cannot be negative."))

    def action_handle(self):
        if any(signal.state != "open" for signal in self):
            raise UserError(_("Only open signals can be marked as handled."))
        self._unlocked().write({"state": "handled"})
        return True

    def action_reopen(self):
        self._unlocked().write({"state": "open"})
        return True
