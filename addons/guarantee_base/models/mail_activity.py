from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models


class MailActivity(models.Model):
    """Guarantee tasks: where they come from, and the daily reminder and escalation."""

    _inherit = "mail.activity"

    guarantee_stage_task_id = fields.Many2one(
        "guarantee.stage.task",
        string="Stage Task",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    guarantee_escalated_on = fields.Date(
        string="Escalated On",
        readonly=True,
        copy=False,
        help="The day the daily job escalated this overdue task; it is escalated only once.",
    )

    @api.model
    def _cron_guarantee_overdue_reminders(self):
        """Daily: remind owners of their overdue project tasks, and escalate those overdue
        for more than the company's escalation days."""
        today = fields.Date.context_today(self)
        overdue = self.search(
            [("res_model", "=", "guarantee.project"), ("date_deadline", "<", today)]
        )
        overdue._guarantee_remind_owners(today)
        overdue._guarantee_escalate(today)

    def _guarantee_remind_owners(self, today):
        """One inbox notification per owner listing all of their overdue tasks."""
        projects = self.env["guarantee.project"].browse(self.mapped("res_id")).exists()
        names = dict(zip(projects.ids, projects.mapped("display_name")))
        for user, activities in self.grouped("user_id").items():
            if not user:
                continue
            lang_self = self.with_context(lang=user.lang)
            lines = Markup("").join(
                Markup("<li>%s</li>")
                % lang_self._guarantee_overdue_line(activity, names, today)
                for activity in activities.sorted("date_deadline")
            )
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=lang_self.env._("Overdue guarantee tasks"),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    lang_self.env._("These guarantee project tasks are past their deadline:"),
                    lines,
                ),
            )

    def _guarantee_escalate(self, today):
        """Give the tasks overdue beyond the escalation days to the company's escalation user
        (or, when none is set, to its executives): one task per project listing them, once,
        and one notification per person listing every project escalated to them (not one
        assignment e-mail per task)."""
        projects = self.env["guarantee.project"].browse(self.mapped("res_id")).exists()
        project_by_id = {project.id: project for project in projects}
        to_escalate = self.filtered(
            lambda a: not a.guarantee_escalated_on
            and a.res_id in project_by_id
            and a.date_deadline
            < today
            - timedelta(days=project_by_id[a.res_id].company_id.guarantee_escalation_days)
        )
        if not to_escalate:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("guarantee.project")
        values = []
        for res_id, activities in to_escalate.grouped("res_id").items():
            project = project_by_id[res_id]
            tasks = ", ".join(
                "%s (%s)" % (a.summary or a.activity_type_id.name, a.user_id.name)
                for a in activities
            )
            for target in project.company_id._guarantee_escalation_users():
                values.append(
                    {
                        "res_model_id": model_id,
                        "res_id": project.id,
                        "activity_type_id": todo.id,
                        "summary": self.with_context(lang=target.lang).env._(
                            "Overdue: %(tasks)s", tasks=tasks
                        ),
                        "date_deadline": today,
                        "user_id": target.id,
                        # An escalation is not escalated again.
                        "guarantee_escalated_on": today,
                    }
                )
        escalations = self.sudo().with_context(mail_activity_quick_update=True)._guarantee_create(
            values
        )
        to_escalate.sudo().write({"guarantee_escalated_on": today})
        escalations._guarantee_notify_escalations(project_by_id)

    def _guarantee_notify_escalations(self, project_by_id):
        for user, activities in self.grouped("user_id").items():
            lang_self = self.with_context(lang=user.lang)
            lines = Markup("").join(
                Markup("<li>%s: %s</li>")
                % (project_by_id[activity.res_id].display_name, activity.summary)
                for activity in activities
            )
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=lang_self.env._("Guarantee tasks escalated to you"),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    lang_self.env._(
                        "These projects have tasks overdue beyond the escalation days:"
                    ),
                    lines,
                ),
            )

    @api.model
    def _guarantee_create(self, values_list):
        """Create activities in as few batches as possible. mail subscribes the assignees in
        one go and fails on the same user twice on the same record within a batch."""
        batches = []
        for values in values_list:
            key = (values["res_id"], values["user_id"])
            batch = next((batch for batch in batches if key not in batch), None)
            if batch is None:
                batch = {}
                batches.append(batch)
            batch[key] = values
        activities = self.browse()
        for batch in batches:
            activities |= self.create(list(batch.values()))
        return activities

    def _guarantee_overdue_line(self, activity, names, today):
        return self.env._(
            "%(project)s: %(task)s, due %(deadline)s (%(days)s days overdue)",
            project=names.get(activity.res_id, activity.res_name or ""),
            task=activity.summary or activity.activity_type_id.name,
            deadline=activity.date_deadline,
            days=(today - activity.date_deadline).days,
        )
