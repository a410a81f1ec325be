from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class GuaranteeLimitOverride(models.Model):
    """An executive's recorded decision to approve a project beyond a regulatory limit."""

    _name = "guarantee.limit.override"
    _description = "Regulatory Limit Override"
    _order = "date desc, id desc"
    _check_company_auto = True

    project_id = fields.Many2one(
        "guarantee.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Overridden By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    breaches = fields.Text(string="Limits Exceeded", readonly=True)
    # The figures the executive was shown: the override covers these, not a worse portfolio.
    currency_id = fields.Many2one(related="company_id.currency_id")
    net_assets = fields.Monetary(readonly=True)
    liability_after = fields.Monetary(string="Liability Balance After", readonly=True)
    party_after = fields.Monetary(string="Party Balance After", readonly=True)
    group_after = fields.Monetary(string="Group Balance After", readonly=True)

    @api.constrains("reason")
    def _check_reason(self):
        if any(not (override.reason or "").strip() for override in self):
            raise ValidationError(_("An override needs a reason."))

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su or self.env.user._guarantee_is_approver()):
            raise AccessError(_("Only an executive can override a regulatory limit."))
        engine = self.env["guarantee.regulatory.engine"]
        for vals in vals_list:
            # the figures come from the server, never from the caller
            figures = engine.evaluate(self.env["guarantee.project"].browse(vals.get("project_id")))
            vals.update(
                self._figure_values(figures),
                user_id=self.env.uid,
                date=fields.Datetime.now(),
                breaches="\n".join(figures["limits_exceeded"]),
            )
        return super().create(vals_list)

    def _covers(self, figures):
        """Whether this override was given for figures at least as bad as ``figures``: a
        portfolio that grew since (or net assets that fell) needs a new decision."""
        self.ensure_one()
        after = figures["after"]
        return (
            self.currency_id.compare_amounts(after["liability"], self.liability_after) <= 0
            and self.currency_id.compare_amounts(after["party"], self.party_after) <= 0
            and self.currency_id.compare_amounts(after["group"], self.group_after) <= 0
            and self.currency_id.compare_amounts(figures["net_assets"], self.net_assets) >= 0
        )

    @api.model
    def _figure_values(self, figures):
        after = figures["after"]
        return {
            "net_assets": figures["net_assets"],
            "liability_after": after["liability"],
            "party_after": after["party"],
            "group_after": after["group"],
        }

    def write(self, vals):
        if vals:
            raise AccessError(_("A recorded override cannot be changed."))
        return super().write(vals)
