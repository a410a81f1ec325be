import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GuaranteeCase

# The states of a project as DESIGN.md names them (English labels of the form).
LABELS = {
    "draft": "Pending Intake",
    "accepted": "Accepted",
    "investigating": "Due Diligence",
    "reviewing": "Under Review",
    "approved": "Approved",
    "rejected": "Rejected",
    "contracted": "Contracted",
    "active": "In Force",
    "released": "Released",
    "compensated": "Compensated",
    "closed": "Closed",
    "cancelled": "Cancelled",
}
# DESIGN.md "States of guarantee.project.state": the step that enters each state.
STEPS = {
    "accepted": "accept",
    "investigating": "start_investigation",
    "reviewing": "submit_review",
    "approved": "approve",
    "rejected": "reject",
    "contracted": "contract",
    "active": "activate",
    "released": "release",
    "compensated": "compensate",
    "closed": "close",
    "cancelled": "cancel",
}
BORN = r"^A guarantee project is always created pending intake\.$"


@tagged("at_install")
class TestProjectStateGraph(GuaranteeCase):
    """Issue 22: the project's state machine is declared once, as the lock mixin's
    ``_lock_transitions``; every state write of a step, whoever calls it, is checked against
    that graph (only the ledger import jumps it), and a project is born pending intake."""

    def _walk(self, project, *states):
        """Take the steps that enter ``states`` in turn (fixture: the gates of each step are
        tested in TestProjectLifecycle)."""
        for state in states:
            project._do_transition(STEPS[state])
        self.assertEqual(project.state, states[-1])
        return project

    def _refused(self, project, state, new):
        return self.assertRaisesExactly(
            UserError,
            r"^%s is %s and cannot become %s\.$"
            % (re.escape(project.name), LABELS[state], LABELS[new]),
        )

    def test_a_project_is_born_pending_intake_whatever_create_copy_or_load_say(self):
        projects = self.env["guarantee.project"].sudo()
        count = projects.search_count([])
        with self.assertRaisesExactly(UserError, BORN):
            projects.create(self._project_vals(state="active"))
        answer = projects.load(
            ["partner_id/.id", "product_id/.id", "amount", "state"],
            [[str(self.customer.id), str(self.product.id), "1000000", "approved"]],
        )
        self.assertFalse(answer["ids"])
        self.assertEqual(
            [message["message"] for message in answer["messages"]],
            ["A guarantee project is always created pending intake."],
        )
        active = self._walk(
            self._create_project(),
            "accepted", "investigating", "reviewing", "approved", "contracted", "active",
        )
        with self.assertRaisesExactly(UserError, BORN):
            active.sudo().copy({"state": "active"})
        copy = active.sudo().copy()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.state_log_ids.mapped("state"), ["draft"])
        self.assertEqual(projects.search_count([]), count + 2)

    def test_a_step_off_the_graph_is_refused_whoever_takes_it(self):
        project = self._create_project()
        with self._refused(project, "draft", "active"):
            project._do_transition("activate")
        with self._refused(project, "draft", "approved"):
            project.sudo()._unlocked().write({"state": "approved"})
        self.assertEqual(project.state, "draft")
        self.assertEqual(project.state_log_ids.mapped("state"), ["draft"])
        self._walk(project, "accepted", "investigating")
        with self._refused(project, "investigating", "approved"):
            project.sudo()._do_transition("approve")
        self._walk(project, "reviewing", "approved", "contracted", "active")
        with self._refused(project, "active", "closed"):
            project._do_transition("close")
        with self._refused(project, "active", "cancelled"):
            project._do_transition("cancel")
        self._walk(project, "compensated", "closed")
        self.assertEqual(
            project.state_log_ids.sorted("id").mapped("state"),
            ["draft", "accepted", "investigating", "reviewing", "approved", "contracted",
             "active", "compensated", "closed"],
        )

    def test_a_final_state_is_never_left_by_a_step(self):
        before_active = ("accepted", "investigating", "reviewing", "approved", "contracted")
        finals = (
            self._walk(self._create_project(), *before_active, "active", "released"),
            self._walk(self._create_project(), *before_active, "active", "compensated",
                       "closed"),
            self._walk(self._create_project(), "cancelled"),
            self._walk(self._create_project(), "accepted", "investigating", "reviewing",
                       "rejected", "cancelled"),
        )
        for project in finals:
            final = project.state
            for new, step in STEPS.items():
                if new == final:
                    continue
                with self.subTest(state=final, step=step), self._refused(project, final, new):
                    project.sudo()._do_transition(step)
            with self._refused(project, final, "draft"):
                project.sudo()._unlocked().write({"state": "draft"})
            self.assertEqual(project.state, final)

    def test_the_ledger_import_alone_sets_a_state_outside_the_graph(self):
        projects = self.env["guarantee.project"]
        imported = projects.browse(projects._create_imported(
            [self._project_vals(state="closed", legacy_ref="LEDGER-GRAPH-1")]
        ).ids)
        self.assertEqual(imported.state, "closed")
        imported._write_imported({"state": "active"})
        self.assertEqual(imported.state, "active")
        # outside the import, the same project is held to the graph again
        with self._refused(imported, "active", "draft"):
            imported._unlocked().write({"state": "draft"})
