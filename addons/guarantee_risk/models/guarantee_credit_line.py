from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class GuaranteeCreditLine(models.Model):
    """授信额度: how much in-force guarantee balance the company accepts for one customer."""

    _name = "guarantee.credit.line"
    _description = "Credit Line"
    _inherit = ["sequence.number.mixin", "mail.thread", "guarantee.lock.mixin"]
    _sequence_code = "guarantee.credit.line"
    _order = "date_end desc, id desc"
    _check_company_auto = True

    # The state moves only through the actions; a closed line is history. The amount and the
    # dates of a confirmed line stay adjustable (tracked): the approval gate rechecks them.
    _lock_readonly_states = ("closed",)
    _lock_unlink_states = ("draft",)
    # Confirmed from draft, closed from draft or confirmed, reopened (to draft) once closed.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_confirm": (("draft",), "confirmed"),
        "action_close": (("draft", "confirmed"), "closed"),
        "action_reset_draft": (("closed",), "draft"),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_guarantee_customer', '=', True)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Line Amount", required=True, tracking=True, currency_field="currency_id"
    )
    date_start = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(string="Valid Until", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    project_ids = fields.One2many("guarantee.project", "credit_line_id", string="Projects")
    amount_used = fields.Monetary(
        string="Used",
        compute="_compute_amounts",
        currency_field="currency_id",
        help="In-force balance of the projects under this line.",
    )
    amount_available = fields.Monetary(
        string="Available", compute="_compute_amounts", currency_field="currency_id"
    )
    note = fields.Text()

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A credit line amount must be positive."),
    ]

    def _compute_amounts(self):
        used = dict(
            self.env["guarantee.project"]
            .sudo()
            ._read_group(
                [("credit_line_id", "in", self.ids), ("state", "=", "active")],
                ["credit_line_id"],
                ["balance:sum"],
            )
        )
        for line in self:
            line.amount_used = used.get(line, 0.0)
            line.amount_available = line.amount - line.amount_used

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for line in self:
            if line.date_end < line.date_start:
                raise ValidationError(
                    _("The credit line %(line)s ends before it starts.", line=line.name)
                )

    @api.constrains("partner_id", "date_start", "date_end", "state")
    def _check_overlap(self):
        for line in self.filtered(lambda rec: rec.state == "confirmed"):
            overlap = self.search_count(
                [
                    ("id", "!=", line.id),
                    ("partner_id", "=", line.partner_id.id),
                    ("company_id", "=", line.company_id.id),
                    ("state", "=", "confirmed"),
                    ("date_start", "<=", line.date_end),
                    ("date_end", ">=", line.date_start),
                ]
            )
            if overlap:
                raise ValidationError(
                    _(
                        "%(customer)s already has a confirmed credit line over these dates.",
                        customer=line.partner_id.display_name,
                    )
                )

    def action_confirm(self):
        if any(line.state != "draft" for line in self):
            raise UserError(_("Only draft credit lines can be confirmed."))
        self._unlocked().write({"state": "confirmed"})
        return True

    def action_close(self):
        self._unlocked().write({"state": "closed"})
        return True

    def action_reset_draft(self):
        if any(line.state != "closed" for line in self):
            raise UserError(_("Only closed credit lines can be reset to draft."))
        self._unlocked().write({"state": "draft"})
        return True

    @api.model
    def _find_valid(self, partner, company, date):
        """The confirmed line of ``partner`` valid on ``date``, if any."""
        return self.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "confirmed"),
                ("date_start", "<=", date),
                ("date_end", ">=", date),
            ],
            limit=1,
        )
