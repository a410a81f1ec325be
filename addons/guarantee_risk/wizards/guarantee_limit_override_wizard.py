from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class GuaranteeLimitOverrideWizard(models.TransientModel):
    """An executive approves a project beyond the regulatory limits, giving a reason."""

    _name = "guarantee.limit.override.wizard"
    _description = "Approve Beyond Regulatory Limits"

    project_id = fields.Many2one("guarantee.project", required=True, readonly=True)
    breaches = fields.Text(string="Limits Exceeded", compute="_compute_breaches")
    reason = fields.Text(required=True)

    @api.depends("project_id")
    def _compute_breaches(self):
        engine = self.env["guarantee.regulatory.engine"]
        for wizard in self:
            wizard.breaches = (
                "\n".join(engine.evaluate(wizard.project_id)["limits_exceeded"])
                if wizard.project_id
                else False
            )

    def action_confirm(self):
        """Record the override, then approve through the ordinary path (other gates apply);
        a contracted project whose figures changed is then activated as usual."""
        self.ensure_one()
        if not (self.env.su or self.env.user._guarantee_is_approver()):
            raise AccessError(_("Only an executive can override a regulatory limit."))
        if not (self.reason or "").strip():
            raise UserError(_("An override needs a reason."))
        if not self.breaches:
            raise UserError(_("No regulatory limit is exceeded: approve the project normally."))
        self.env["guarantee.limit.override"].create(
            {"project_id": self.project_id.id, "reason": self.reason}
        )
        if self.project_id.state == "reviewing":
            self.project_id.action_approve()
        return {"type": "ir.actions.act_window_close"}
