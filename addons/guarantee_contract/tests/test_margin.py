from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ContractCase


@tagged("at_install")
class TestMargin(ContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._approved_project(amount=3000000, margin_rate=10)

    def _margin(self, kind, amount, user=None):
        Margin = self.env["guarantee.margin"].with_user(user or self.finance)
        return Margin.create({"project_id": self.project.id, "kind": kind, "amount": amount})

    def test_required_margin_is_amount_times_rate(self):
        self.assertEqual(self.project.margin_required, 300000.0)

    def test_balance_counts_only_done_movements(self):
        receipt = self._margin("receipt", 300000)
        self.assertEqual(self.project.margin_balance, 0.0)
        receipt.action_done()
        self.assertEqual(self.project.margin_balance, 300000.0)
        self.assertEqual(self.project.margin_received, 300000.0)
        self._margin("refund", 100000).action_done()
        self._margin("offset", 50000).action_done()
        self._margin("refund", 1000)  # draft: no effect
        self.assertEqual(self.project.margin_balance, 150000.0)
        self.assertEqual(self.project.margin_received, 300000.0)

    def test_refund_above_the_balance_is_refused(self):
        self._margin("receipt", 100000).action_done()
        refund = self._margin("refund", 100000.01)
        with self.assertRaisesExactly(
            UserError, r"The Refund of ¥ 100,000\.01 exceeds the margin balance of ¥ 100,000\.00 of"
        ):
            refund.action_done()
        self.assertEqual(refund.state, "draft")
        self.assertEqual(self.project.margin_balance, 100000.0)

    def test_offset_above_the_balance_is_refused(self):
        offset = self._margin("offset", 1)
        with self.assertRaisesExactly(
            UserError, r"The Offset against Compensation of ¥ 1\.00 exceeds the margin balance of"
        ):
            offset.action_done()

    def test_refund_of_the_whole_balance_is_allowed(self):
        self._margin("receipt", 100000).action_done()
        self._margin("refund", 100000).action_done()
        self.assertEqual(self.project.margin_balance, 0.0)

    def test_zero_or_negative_amount_is_refused(self):
        for amount in (0, -5):
            with self.assertRaisesExactly(
                ValidationError, "A margin movement must have a positive amount"
            ), self.cr.savepoint():
                self._margin("receipt", amount)

    def test_done_movement_is_locked(self):
        receipt = self._margin("receipt", 1000)
        receipt.action_done()
        with self.assertRaisesExactly(UserError, "is Done and can no longer be changed"):
            receipt.amount = 2000
        with self.assertRaisesExactly(
            UserError, r"Only draft margin movements can be confirmed \("
        ):
            receipt.action_done()
        with self.assertRaisesExactly(UserError, "is Done and cannot be deleted"):
            receipt.unlink()

    def test_cancelling_a_receipt_cannot_make_the_balance_negative(self):
        receipt = self._margin("receipt", 1000)
        receipt.action_done()
        self._margin("refund", 600).action_done()
        with self.assertRaisesExactly(UserError, "would take the margin balance of"):
            receipt.action_cancel()
        self.assertEqual(receipt.state, "done")

    def test_confirming_calls_the_accounting_hook_once(self):
        receipt = self._margin("receipt", 1000)
        margin_class = type(self.env["guarantee.margin"])
        with patch.object(margin_class, "_on_done", autospec=True, return_value=True) as hook:
            receipt.action_done()
        hook.assert_called_once_with(receipt)

    def test_only_finance_writes_margins_and_project_managers_read_their_own(self):
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to create 'Margin Deposit Movement'"
        ):
            self._margin("receipt", 1000, user=self.pm_a)
        receipt = self._margin("receipt", 1000)
        self.assertEqual(receipt.with_user(self.pm_a).amount, 1000)
        Margin = self.env["guarantee.margin"]
        self.assertFalse(
            Margin.with_user(self.pm_other).search([("project_id", "=", self.project.id)])
        )
        self.assertTrue(
            Margin.with_user(self.risk).search([("project_id", "=", self.project.id)])
        )
