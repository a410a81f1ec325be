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

    @api.constrains("reason")
    def _check_reason(self):
        if any(not (override.reason or "").strip() for override in self):
            raise ValidationError(_("An override needs a reason."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group("guarantee_base.group_guarantee_executive"):
            raise AccessError(_("Only an executive can override a regulatory limit."))
        for vals in vals_list:
            vals["user_id"] = self.env.uid
            vals["date"] = fields.Datetime.now()
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise AccessError(_("A recorded override cannot be changed."))
        return super().write(vals)
