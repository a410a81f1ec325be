from odoo import fields, models


class GuaranteeProjectReassignWizard(models.TransientModel):
    """Hand a project with money at stake over to other managers, with the reason; the
    chatter keeps who did it, when and why."""

    _name = "guarantee.project.reassign.wizard"
    _description = "Reassign a Guarantee Project"

    project_id = fields.Many2one("guarantee.project", required=True, ondelete="cascade")
    manager_id = fields.Many2one(
        "res.users", string="A-Role (Lead Manager)", domain="[('share', '=', False)]"
    )
    assistant_id = fields.Many2one(
        "res.users", string="B-Role (Assistant Manager)", domain="[('share', '=', False)]"
    )
    reason = fields.Text(required=True)

    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        project = self.env["guarantee.project"].browse(values.get("project_id")).exists()
        for name in self._reassigned_fields():
            if name in fields_list and project:
                values.setdefault(name, project[name].id)
        return values

    def _reassigned_fields(self):
        return ["manager_id", "assistant_id"]

    def action_confirm(self):
        self.ensure_one()
        self.project_id._reassign(
            {name: self[name].id for name in self._reassigned_fields()}, self.reason
        )
        return {"type": "ir.actions.act_window_close"}
