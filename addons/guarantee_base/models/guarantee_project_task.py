from odoo import _, fields, models


class GuaranteeProject(models.Model):
    """Entering a state gives its configured tasks to the right people."""

    _inherit = "guarantee.project"

    def _after_transition(self, step):
        super()._after_transition(step)
        self._close_stage_activities()
        self._create_stage_activities(self._lock_transitions[step][1])

    def _create_stage_activities(self, state):
        tasks = self.env["guarantee.stage.task"].search([("state", "=", state)])
        if not tasks:
            return
        today = fields.Date.context_today(self)
        values = []
        for project in self:
            for task in tasks.filtered(
                lambda t, p=project: t.company_id in (p.company_id, self.env["res.company"])
            ):
                values += task._activity_values(project, today)
        # Tasks come from the configuration, whoever took the step (finance posting a
        # compensation has no right to plan activities on the project itself).
        self.env["mail.activity"].sudo()._guarantee_create(values)

    def _close_stage_activities(self):
        """Mark done the open tasks of the states the projects have just left."""
        activities = self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("guarantee_stage_task_id", "!=", False),
            ]
        )
        states = {project.id: project.state for project in self}
        left_behind = activities.filtered(
            lambda a: a.guarantee_stage_task_id.state != states[a.res_id]
        )
        if left_behind:
            left_behind.action_feedback(
                feedback=_("Closed automatically: the project moved on to the next stage.")
            )
