from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestProjectLifecycle(GuaranteeCase):
    def test_sequence_number_and_defaults_from_product(self):
        project = self._create_project()
        self.assertRegex(project.name, r"^DB\d{4}-\d{5}$")
        self.assertEqual(project.fee_rate, 1.5)
        self.assertEqual(project.margin_rate, 10)
        self.assertEqual(str(project.date_end), "2026-12-31")
        self.assertEqual(project.state, "draft")
        self.assertEqual(project.state_log_ids.state, "draft")

    def test_form_computes_end_date_and_amount_in_words(self):
        with Form(self.env["guarantee.project"]) as form:
            form.currency_id = self.env.ref("base.CNY")
            form.partner_id = self.customer
            form.product_id = self.product
            form.amount = 10000000
            form.term_months = 6
            form.date_start = "2026-02-28"
            self.assertEqual(str(form.date_end), "2026-08-27")
            self.assertEqual(form.amount_in_words, "壹仟万元整")

    def test_bad_terms_are_refused_and_nothing_saved(self):
        count = self.env["guarantee.project"].search_count([])
        with self.assertRaisesExactly(
            ValidationError, "The guaranteed amount must be greater than zero"
        ):
            self._create_project(amount=0)
        with self.assertRaisesExactly(
            ValidationError, r"The loan released \(0\.0\) exceeds the guaranteed amount \(-5\.0\)"
        ):
            self._create_project(amount=-5)
        with self.assertRaisesExactly(
            ValidationError, "The own share must be above 0% and at most 100%"
        ):
            self._create_project(own_share=0)
        with self.assertRaisesExactly(
            ValidationError, "is before its start date 2026-06-01"
        ) as refused:
            self._create_project(date_start="2026-06-01", date_end="2026-05-31")
        self.assertIn("before its start date", str(refused.exception))
        with self.assertRaisesExactly(
            ValidationError, "The A-role and the B-role of a project must be different people"
        ) as refused:
            self._create_project(assistant_id=self.pm_a.id)
        self.assertIn("different people", str(refused.exception))
        self.assertEqual(self.env["guarantee.project"].search_count([]), count)

    def test_full_walk_from_draft_to_released(self):
        project = self._create_project(own_share=80)
        self.env.cr.precommit.run()  # tracking is written at commit: one message per step

        def step(user, action, *args):
            getattr(project.with_user(user), action)(*args)
            self.env.cr.precommit.run()

        step(self.pm_a, "action_accept")
        step(self.pm_a, "action_start_investigation")
        step(self.pm_a, "action_submit_review")
        step(self.executive, "action_approve")
        step(self.pm_a, "action_contract")
        step(self.pm_a, "action_activate", "2026-01-05", 800000)
        self.assertEqual(project.state, "active")
        self.assertEqual(project.balance, 640000, "balance is the own share")
        with self.assertRaisesExactly(
            UserError, r"is In Force: “Own Share \(%\)” can no longer be changed"
        ):
            project.own_share = 100
        step(self.pm_a, "action_release")
        self.assertEqual(project.state, "released")
        self.assertEqual(project.balance, 0, "a released project has no balance")
        states = project.state_log_ids.sorted("id").mapped("state")
        self.assertEqual(
            states,
            ["draft", "accepted", "investigating", "reviewing", "approved", "contracted",
             "active", "released"],
        )
        approve_log = project.state_log_ids.filtered(lambda log: log.state == "approved")
        self.assertEqual(approve_log.user_id, self.executive, "who approved is recorded")
        tracked = project.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(len(tracked), 7, "every state change is in the chatter")
        approval_message = tracked.filtered(
            lambda t: t.new_value_char == "Approved"
        ).mail_message_id
        self.assertEqual(approval_message.author_id, self.executive.partner_id)

    def test_skipping_a_gate_is_refused(self):
        project = self._create_project()
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - The project is Pending Intake; it "
            r"can become Approved only from: Under Review\.$",
        ):
            project.action_approve()
        with self.assertRaisesExactly(
            UserError,
            r"^“State” of Guarantee Project change only through its actions, which check their "
            r"conditions and record who and why\.$",
        ):
            project.with_user(self.pm_a).write({"state": "active"})
        with self.assertRaisesExactly(
            UserError,
            r"^“State” of Guarantee Project change only through its actions, which check their "
            r"conditions and record who and why\.$",
        ):
            project.with_user(self.pm_a).with_context(guarantee_transition=True).write(
                {"state": "active"}
            )
        self.assertEqual(project.state, "draft")

    def test_gates_list_every_missing_item(self):
        project = self._create_project(creditor_id=False, assistant_id=False)
        self.assertIn("creditor", project.next_step_blockers)
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - The creditor bank is missing\.$",
        ):
            project.action_accept()
        project.creditor_id = self.bank
        project.action_accept()
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - Both the A-role and the B-role must "
            r"be assigned\.$",
        ):
            project.action_start_investigation()

    def test_activation_needs_release_date_and_amount(self):
        project = self._create_project()
        for step in ("accept", "start_investigation", "submit_review", "approve", "contract"):
            getattr(project, "action_" + step)()
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - The loan release date is "
            r"missing\.\n - The amount of loan released must be positive\.$",
        ):
            project.action_activate()
        with self.assertRaisesExactly(
            ValidationError,
            r"^The loan released \(2000000\.0\) exceeds the guaranteed amount \(1000000\.0\)\.$",
        ):
            project.action_activate(release_date="2026-01-05", amount=2000000)
        self.assertEqual(project.state, "contracted")

    def test_cancel_only_before_active(self):
        project = self._create_project()
        project.action_cancel(reason="客户撤回")
        self.assertEqual(project.state, "cancelled")
        self.assertEqual(project.cancel_reason, "客户撤回")
        active = self._create_project()
        for step in ("accept", "start_investigation", "submit_review", "approve", "contract"):
            getattr(active, "action_" + step)()
        active.action_activate(release_date="2026-01-05", amount=1000000)
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - The project is In Force; it can "
            r"become Cancelled only from: Pending Intake, Accepted, Due Diligence, Under Review, "
            r"Approved, Rejected, Contracted\.$",
        ):
            active.action_cancel()


@tagged("at_install")
class TestProjectAccess(GuaranteeCase):
    def test_project_manager_sees_only_own_projects(self):
        own = self._create_project()
        other = self._create_project(manager_id=self.pm_other.id, assistant_id=self.pm_b.id)
        visible = self.env["guarantee.project"].with_user(self.pm_a).search([])
        self.assertIn(own, visible)
        self.assertNotIn(other, visible)
        as_b = self.env["guarantee.project"].with_user(self.pm_b).search([])
        self.assertIn(own, as_b, "the B-role sees the project too")
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'read' access to:\n- Guarantee Project"
        ):
            other.with_user(self.pm_a).write({"purpose": "改"})
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'read' access to:\n- Guarantee Project"
        ):
            other.with_user(self.pm_a).read(["amount"])

    def test_committee_member_reads_only_projects_under_review(self):
        draft = self._create_project()
        reviewing = self._create_project()
        for step in ("accept", "start_investigation", "submit_review"):
            getattr(reviewing, "action_" + step)()
        visible = self.env["guarantee.project"].with_user(self.committee).search([])
        self.assertIn(reviewing, visible)
        self.assertNotIn(draft, visible)
        with self.assertRaisesExactly(
            AccessError, r"You are not allowed to modify 'Guarantee Project' \(guarantee\.project\)"
        ):
            reviewing.with_user(self.committee).write({"purpose": "改"})

    def test_risk_and_finance_read_all_but_cannot_edit(self):
        project = self._create_project(manager_id=self.pm_other.id)
        for user in (self.risk, self.finance, self.executive):
            self.assertIn(project, self.env["guarantee.project"].with_user(user).search([]))
        with self.assertRaisesExactly(
            AccessError, r"You are not allowed to modify 'Guarantee Project' \(guarantee\.project\)"
        ):
            project.with_user(self.risk).write({"purpose": "改"})

    def test_project_manager_sees_only_own_customers(self):
        foreign = self.env["res.partner"].create(
            {"name": "别人的客户", "is_company": True, "is_guarantee_customer": True,
             "user_id": self.pm_other.id}
        )
        partners = self.env["res.partner"].with_user(self.pm_a).search(
            [("is_guarantee_customer", "=", True)]
        )
        self.assertIn(self.customer, partners)
        self.assertNotIn(foreign, partners)
        self.assertIn(self.bank, self.env["res.partner"].with_user(self.pm_a).search([]))
