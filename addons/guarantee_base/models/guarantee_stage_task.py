from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.working_days import add_working_days
from .guarantee_project import PROJECT_STATES

RESPONSIBLES = [
    ("manager", "A-Role"),
    ("assistant", "B-Role"),
    ("group", "Users of a Group"),
]


class GuaranteeStageTask(models.Model):
    """A task that entering a project state gives to a role, with its service time."""

    _name = "guarantee.stage.task"
    _description = "Guarantee Stage Task"
    _order = "state, sequence, id"

    name = fields.Char(string="Summary", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    state = fields.Selection(
        PROJECT_STATES, string="When Entering", required=True, index=True
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        required=True,
        default=lambda self: self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False),
        domain="[('res_model', 'in', (False, 'guarantee.project'))]",
    )
    note = fields.Html(translate=True)
    responsible = fields.Selection(RESPONSIBLES, required=True, default="manager")
    group_id = fields.Many2one("res.groups", string="Group")
    group_assignment = fields.Selection(
        [("first", "First User of the Group"), ("all", "Every User of the Group")],
        default="first",
        required=True,
    )
    service_days = fields.Integer(
        string="Service Time (working days)",
        default=5,
        help="The deadline is the day the state is entered plus this many working days.",
    )

    @api.constrains("responsible", "group_id", "service_days")
    def _check_responsible(self):
        for task in self:
            if task.responsible == "group" and not task.group_id:
                raise ValidationError(
                    _("The task %(task)s is given to a group: choose the group.", task=task.name)
                )
            if task.service_days < 0:
                raise ValidationError(_("The service time cannot be negative."))

    def _users_for(self, project):
        """The users who receive this task on ``project``."""
        self.ensure_one()
        if self.responsible == "manager":
            return project.manager_id
        if self.responsible == "assistant":
            return project.assistant_id
        users = self.group_id.users.filtered(
            lambda u: project.company_id in u.company_ids and u.active
        ).sorted("id")
        return users[:1] if self.group_assignment == "first" else users

    def _activity_values(self, project, date_entered):
        """mail.activity values for this task on ``project``, one per responsible user."""
        self.ensure_one()
        deadline = add_working_days(date_entered, self.service_days)
        model_id = self.env["ir.model"]._get_id("guarantee.project")
        return [
            {
                "res_model_id": model_id,
                "res_id": project.id,
                "activity_type_id": self.activity_type_id.id,
                "summary": self.name,
                "note": self.note,
                "date_deadline": deadline,
                "user_id": user.id,
                "guarantee_stage_task_id": self.id,
            }
            for user in self._users_for(project)
        ]
