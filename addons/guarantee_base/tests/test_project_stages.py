from datetime import datetime

from odoo.tests import tagged

from .common import GuaranteeCase


@tagged("post_install", "-at_install")
class TestProjectStageGantt(GuaranteeCase):
    """The stage Gantt: one bar per stage of a project, from its state history (issue 29)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.p1 = cls._create_project()  # manager pm_a, assistant pm_b
        for step in ("accept", "start_investigation", "submit_review"):
            cls.p1._do_transition(step)
        cls._date_logs(cls.p1, {
            "draft": datetime(2026, 3, 2, 9, 0),
            "accepted": datetime(2026, 3, 4, 9, 0),
            "investigating": datetime(2026, 3, 9, 21, 0),
            "reviewing": datetime(2026, 3, 20, 9, 0),
        })
        cls.p2 = cls._create_project(manager_id=cls.pm_other.id)
        cls.p2._do_transition("cancel")
        cls._date_logs(cls.p2, {
            "draft": datetime(2026, 4, 1, 8, 0),
            "cancelled": datetime(2026, 4, 3, 8, 0),
        })

    @classmethod
    def _date_logs(cls, project, dates):
        for log in project.state_log_ids:
            log.write({"date": dates[log.state]})
        cls.env.flush_all()

    def _bars(self, project, user=None):
        Stage = self.env["guarantee.project.stage"].with_user(user or self.executive)
        return Stage.search([("project_id", "=", project.id)])

    def test_one_bar_per_stage_with_hand_computed_dates(self):
        bars = self._bars(self.p1)
        self.assertEqual(bars.mapped("state"),
                         ["draft", "accepted", "investigating", "reviewing"])
        finished = bars[:3]
        self.assertEqual(
            [(b.date_start, b.date_end, b.duration_days, b.is_current) for b in finished],
            [
                (datetime(2026, 3, 2, 9, 0), datetime(2026, 3, 4, 9, 0), 2.0, False),
                (datetime(2026, 3, 4, 9, 0), datetime(2026, 3, 9, 21, 0), 5.5, False),
                (datetime(2026, 3, 9, 21, 0), datetime(2026, 3, 20, 9, 0), 10.5, False),
            ],
        )
        # the stage the project is in runs to now
        current = bars[3]
        self.assertTrue(current.is_current)
        self.assertEqual(current.date_start, datetime(2026, 3, 20, 9, 0))
        self.assertGreater(current.date_end, current.date_start)
        self.assertEqual(current.stage_label, "Under Review")
        self.assertEqual(bars.project_id.manager_id, self.pm_a)

    def test_a_final_state_is_a_point_not_a_bar(self):
        draft, cancelled = self._bars(self.p2)
        self.assertEqual((draft.state, draft.date_start, draft.date_end, draft.duration_days),
                         ("draft", datetime(2026, 4, 1, 8, 0), datetime(2026, 4, 3, 8, 0), 2.0))
        self.assertEqual((cancelled.state, cancelled.date_start, cancelled.date_end,
                          cancelled.duration_days, cancelled.is_current),
                         ("cancelled", datetime(2026, 4, 3, 8, 0), False, 0.0, True))

    def test_each_role_sees_the_stages_of_the_projects_it_reads(self):
        Stage = self.env["guarantee.project.stage"]
        mine = [("project_id", "in", (self.p1 | self.p2).ids)]
        self.assertEqual(Stage.with_user(self.pm_a).search(mine).project_id, self.p1)
        self.assertEqual(Stage.with_user(self.pm_other).search(mine).project_id, self.p2)
        # the B-role of both
        self.assertEqual(Stage.with_user(self.pm_b).search(mine).project_id, self.p1 | self.p2)
        # the committee reads the projects under review
        self.assertEqual(Stage.with_user(self.committee).search(mine).project_id, self.p1)
        for user in (self.risk, self.finance, self.executive, self.gadmin):
            self.assertEqual(len(Stage.with_user(user).search(mine)), 6)

    def test_the_project_form_opens_its_own_gantt(self):
        action = self.env.ref("guarantee_base.guarantee_project_stage_action_project")
        self.assertTrue(action.view_mode.startswith("timeline"))
        self.assertEqual(action.domain, "[('project_id', '=', active_id)]")
        menu_action = self.env.ref("guarantee_base.guarantee_project_stage_action")
        self.assertEqual(self.env.ref("guarantee_base.guarantee_project_stage_menu").action,
                         menu_action)
        view = self.env["guarantee.project.stage"].with_user(self.pm_a).get_views(
            [(False, "timeline")])
        self.assertIn("timeline", view["views"])
