from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestLoanReleaseWizard(GuaranteeCase):
    """Finance records the bank's loan release (放款登记) without write access to projects."""

    def setUp(self):
        super().setUp()
        self.project = self._create_project()
        for user, action in (
            (self.pm_a, "action_accept"),
            (self.pm_a, "action_start_investigation"),
            (self.pm_a, "action_submit_review"),
            (self.executive, "action_approve"),
            (self.pm_a, "action_contract"),
        ):
            getattr(self.project.with_user(user), action)()

    def _wizard(self, user, **values):
        action = self.project.with_user(user).action_open_loan_release_wizard()
        form = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_finance_puts_the_guarantee_in_force(self):
        wizard = self._wizard(
            self.finance, release_date="2026-01-05", amount=900000, reference="HZB-FK-001"
        )
        self.assertEqual(wizard.project_id, self.project)
        wizard.action_confirm()
        self.assertEqual(self.project.state, "active")
        self.assertEqual(str(self.project.loan_release_date), "2026-01-05")
        self.assertEqual(self.project.loan_amount_released, 900000)
        self.assertEqual(self.project.state_log_ids.sorted("id")[-1:].user_id, self.finance)
        note = self.project.message_ids.filtered(lambda m: "HZB-FK-001" in m.body)
        self.assertEqual(note.author_id, self.finance.partner_id)

    def test_the_amount_defaults_to_the_guaranteed_amount(self):
        wizard = self._wizard(self.finance, reference="HZB-FK-002")
        self.assertEqual(wizard.amount, self.project.amount)

    def test_bad_input_is_refused_and_nothing_changes(self):
        cases = (
            ({"amount": 0}, UserError, "The amount of loan released must be positive"),
            ({"amount": -10}, UserError, "The amount of loan released must be positive"),
            ({"release_date": "2999-01-01"}, UserError,
             "The loan release date cannot be in the future"),
            # refused by the project's own constraint, which the wizard writes through
            ({"amount": 5000000}, ValidationError,
             r"The loan released \(5000000\.0\) exceeds the guaranteed amount \(1000000\.0\)"),
            ({"reference": "  "}, UserError,
             "Give the bank's release notice or loan voucher number"),
        )
        for values, error, pattern in cases:
            with self.subTest(values=values):
                wizard = self._wizard(
                    self.finance, **dict({"release_date": "2026-01-05", "reference": "X"}, **values)
                )
                with self.assertRaisesExactly(error, pattern):
                    with self.env.cr.savepoint():
                        wizard.action_confirm()
                self.assertEqual(self.project.state, "contracted")
                self.assertFalse(self.project.loan_release_date)

    def test_only_finance_records_and_pm_cannot_write_through_it(self):
        wizard = self._wizard(self.finance, release_date="2026-01-05", reference="HZB-FK-003")
        with self.assertRaisesExactly(AccessError, "Only finance records the loan release"):
            wizard.with_user(self.pm_a).action_confirm()
        with self.assertRaisesExactly(
            AccessError, r"You are not allowed to modify 'Guarantee Project' \(guarantee\.project\)"
        ):
            self.project.with_user(self.finance).write({"loan_release_date": "2026-01-05"})
        self.assertEqual(self.project.state, "contracted")

    def test_the_activation_gates_still_apply(self):
        draft = self._create_project()
        wizard = self._wizard(self.finance, release_date="2026-01-05", reference="HZB-FK-004")
        wizard.project_id = draft
        with self.assertRaisesExactly(
            UserError, "The project is Pending Intake; it can become In Force only from: Contracted"
        ) as refused:
            wizard.action_confirm()
        self.assertIn(draft._transition_blockers("activate")[0], str(refused.exception))
        self.assertEqual(draft.state, "draft")
