from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from ..tools.working_days import add_working_days
from .common import GuaranteeCase


@tagged("at_install")
class TestWorkingDays(TransactionCase):
    def test_working_days_skip_the_weekend(self):
        friday = date(2026, 1, 9)
        self.assertEqual(add_working_days(friday, 1), date(2026, 1, 12))
        self.assertEqual(add_working_days(friday, 5), date(2026, 1, 16))
        self.assertEqual(add_working_days(date(2026, 1, 10), 1), date(2026, 1, 12))

    def test_zero_or_negative_working_days_is_the_same_day(self):
        self.assertEqual(add_working_days(date(2026, 1, 10), 0), date(2026, 1, 10))
        self.assertEqual(add_working_days(date(2026, 1, 10), -2), date(2026, 1, 10))


@tagged("at_install")
class TestStageTasks(GuaranteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["guarantee.stage.task"].search([]).active = False
        cls.review_group = cls.env["res.groups"].create({"name": "测试风控岗"})
        cls.risk.groups_id = [(4, cls.review_group.id)]
        Task = cls.env["guarantee.stage.task"]
        cls.task_dd = Task.create(
            {"name": "尽职调查", "state": "accepted", "responsible": "manager", "service_days": 5}
        )
        cls.task_check = Task.create(
            {"name": "B角复核", "state": "accepted", "responsible": "assistant", "service_days": 2}
        )
        cls.task_risk = Task.create(
            {
                "name": "风控初审",
                "state": "investigating",
                "responsible": "group",
                "group_id": cls.review_group.id,
                "service_days": 3,
            }
        )
        cls.company = cls.env.company
        cls.company.guarantee_escalation_days = 3
        cls.company.guarantee_escalation_user_id = cls.executive

    def _activities(self, project):
        return self.env["mail.activity"].search(
            [("res_model", "=", "guarantee.project"), ("res_id", "=", project.id)]
        )

    @freeze_time("2026-01-09 10:00:00")
    def test_entering_a_state_gives_its_tasks_with_working_day_deadlines(self):
        project = self._create_project()
        self.assertFalse(self._activities(project))
        project.with_user(self.pm_a).action_accept()
        activities = self._activities(project)
        by_task = {a.guarantee_stage_task_id: a for a in activities}
        self.assertEqual(set(by_task), {self.task_dd, self.task_check})
        self.assertEqual(by_task[self.task_dd].user_id, self.pm_a, "A-role")
        self.assertEqual(by_task[self.task_dd].date_deadline, date(2026, 1, 16))
        self.assertEqual(by_task[self.task_dd].summary, "尽职调查")
        self.assertEqual(by_task[self.task_check].user_id, self.pm_b, "B-role")
        self.assertEqual(by_task[self.task_check].date_deadline, date(2026, 1, 13))

    def test_a_group_task_goes_to_its_first_user_or_to_all(self):
        second = self.risk.copy({"login": "t_risk_2"})
        project = self._create_project()
        project.action_accept()
        project.action_start_investigation()
        risk_tasks = self._activities(project).filtered(
            lambda a: a.guarantee_stage_task_id == self.task_risk
        )
        self.assertEqual(risk_tasks.user_id, self.risk)
        self.task_risk.group_assignment = "all"
        other = self._create_project()
        other.action_accept()
        other.action_start_investigation()
        self.assertEqual(
            self._activities(other).filtered(
                lambda a: a.guarantee_stage_task_id == self.task_risk
            ).user_id,
            self.risk | second,
        )

    def test_leaving_a_state_closes_its_open_tasks(self):
        project = self._create_project()
        project.action_accept()
        project.action_start_investigation()
        self.assertEqual(self._activities(project).guarantee_stage_task_id, self.task_risk)
        done_messages = project.message_ids.filtered(
            lambda m: "moved on to the next stage" in (m.body or "")
        )
        self.assertEqual(len(done_messages), 2, "both tasks of the accepted state are done")

    def test_daily_job_reminds_owners_and_escalates_once(self):
        with freeze_time("2026-03-02 09:00:00"):
            project = self._create_project()
            project.action_accept()
        tasks = self._activities(project)
        self.assertEqual(
            sorted(tasks.mapped("date_deadline")), [date(2026, 3, 4), date(2026, 3, 9)]
        )
        Message = self.env["mail.message"]
        Activity = self.env["mail.activity"]
        # 10 March: the B-role's task is 6 days late, the A-role's 1 day
        with freeze_time("2026-03-10 06:00:00"):
            Activity._cron_guarantee_overdue_reminders()
        notices = Message.search([("partner_ids", "in", (self.pm_a | self.pm_b).partner_id.ids),
                                  ("message_type", "=", "user_notification")])
        self.assertEqual(notices.partner_ids, (self.pm_a | self.pm_b).partner_id,
                         "one reminder per owner")
        self.assertIn(project.name, notices[0].body)
        escalations = self._activities(project).filtered(lambda a: a.user_id == self.executive)
        self.assertEqual(len(escalations), 1, "only the task overdue beyond 3 days")
        self.assertIn("B角复核", escalations.summary)
        b_task = tasks.filtered(lambda a: a.user_id == self.pm_b)
        self.assertEqual(b_task.guarantee_escalated_on, date(2026, 3, 10))
        with freeze_time("2026-03-11 06:00:00"):
            Activity._cron_guarantee_overdue_reminders()
        escalations = self._activities(project).filtered(lambda a: a.user_id == self.executive)
        self.assertEqual(len(escalations), 1, "an escalated task is not escalated again")

    def test_escalation_is_one_notification_per_person_listing_the_projects(self):
        with freeze_time("2026-03-02 09:00:00"):
            projects = self._create_project() | self._create_project()
            projects.action_accept()
        with freeze_time("2026-03-10 06:00:00"):
            self.env["mail.activity"]._cron_guarantee_overdue_reminders()
        notices = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.executive.partner_id.ids),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(len(notices), 1, "no assignment e-mail per escalated task")
        for project in projects:
            self.assertIn(project.name, notices.body)

    def test_without_escalation_user_the_executives_receive_it(self):
        self.company.guarantee_escalation_user_id = False
        with freeze_time("2026-03-02 09:00:00"):
            project = self._create_project()
            project.action_accept()
        with freeze_time("2026-03-20 06:00:00"):
            self.env["mail.activity"]._cron_guarantee_overdue_reminders()
        escalated_to = self._activities(project).filtered("guarantee_escalated_on").filtered(
            lambda a: not a.guarantee_stage_task_id
        ).user_id
        self.assertIn(self.executive, escalated_to)
        self.assertNotIn(self.gadmin, escalated_to, "administrators are not executives")
