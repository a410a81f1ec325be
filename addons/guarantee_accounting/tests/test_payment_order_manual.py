from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import VOUCHER, GuaranteeAccountingCase


@tagged("at_install")
class TestPaymentOrderManual(GuaranteeAccountingCase):
    """标记完成: a transfer made outside Odoo is marked done with the bank's voucher number
    and document, through a confirmation; above the configured amount a second finance user
    confirms the same voucher (four eyes)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance_2 = new_test_user(cls.env, "t_finance_second",
                                      groups="guarantee_base.group_guarantee_finance")
        cls.company.guarantee_manual_payment_limit = 1_000_000

    def _order(self, principal):
        project = self._project_in("active", released=2_000_000, amount=2_000_000)
        compensation = self._approved_compensation(project, principal=principal, interest=0.0)
        action = compensation.with_user(self.finance).action_create_payment_order()
        return self.env["guarantee.payment.order"].browse(action["res_id"])

    def _wizard(self, order, user, voucher="杭银付款凭证-0001", document=VOUCHER):
        action = order.with_user(user).action_mark_done()
        self.assertEqual(action["res_model"], "guarantee.payment.order.done.wizard")
        form = Form(self.env[action["res_model"]].with_user(user).with_context(
            **action["context"]))
        if voucher:
            form.voucher_ref = voucher
        if document:
            form.document = document
        return form.save()

    def test_the_button_asks_for_confirmation_and_pays_nothing_by_itself(self):
        order = self._order(400_000)
        self.assertEqual(order.state, "draft")
        order.with_user(self.finance).action_mark_done()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.compensation_id.state, "approved")

    def test_below_the_limit_one_finance_user_confirms_with_voucher_and_document(self):
        order = self._order(400_000)
        self._wizard(order, self.finance).action_confirm()
        self.assertEqual(order.state, "done")
        self.assertEqual(order.compensation_id.state, "paid")
        self.assertEqual(order.manual_voucher_ref, "杭银付款凭证-0001")
        self.assertEqual(order.manual_document_id.raw, b"%PDF-1.4 bank voucher")
        self.assertEqual(order.manual_confirmed_by_id, self.finance)

    def test_a_voucher_number_and_a_document_are_required(self):
        order = self._order(400_000)
        with self.assertRaisesExactly(
            UserError,
            r"^FK\d{4}-\d+ is marked done only with the voucher document of the transfer\.$",
        ):
            order.with_user(self.finance)._mark_done_by_hand("杭银付款凭证-0001", False)
        with self.assertRaisesExactly(
            UserError,
            r"^FK\d{4}-\d+ is marked done only with the voucher number of the transfer\.$",
        ):
            order.with_user(self.finance)._mark_done_by_hand("  ", VOUCHER)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.manual_confirmed_by_id)

    def test_above_the_limit_a_second_finance_user_confirms(self):
        # ¥1,012,345.67 > ¥1,000,000: the payment of the issue
        order = self._order(1_012_345.67)
        self.assertTrue(self._wizard(order, self.finance).needs_second)
        self._wizard(order, self.finance).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.compensation_id.state, "approved")
        self.assertEqual(order.manual_confirmed_by_id, self.finance)
        with self.assertRaisesRegex(AccessError, "a second finance user confirms"):
            order.with_user(self.finance)._mark_done_by_hand("杭银付款凭证-0001", False)
        with self.assertRaisesExactly(
            UserError,
            r"^The voucher number 杭银付款凭证-0002 differs from 杭银付款凭证-0001, confirmed by "
            r".+\.$",
        ):
            order.with_user(self.finance_2)._mark_done_by_hand("杭银付款凭证-0002", False)
        self.assertEqual(order.state, "draft")
        # the second user confirms the voucher the first one recorded
        second = self._wizard(order, self.finance_2, voucher=None, document=None)
        self.assertEqual(second.voucher_ref, "杭银付款凭证-0001")
        second.action_confirm()
        self.assertEqual(order.state, "done")
        self.assertEqual(order.manual_second_by_id, self.finance_2)
        self.assertEqual(order.compensation_id.state, "paid")

    def test_only_finance_marks_an_order_done(self):
        order = self._order(400_000)
        for user in (self.executive, self.risk):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user)._mark_done_by_hand("杭银付款凭证-0001", VOUCHER)
        self.assertEqual(order.state, "draft")

    def test_the_voucher_fields_are_written_by_the_confirmation_only(self):
        order = self._order(400_000)
        with self.assertRaisesExactly(
            UserError,
            r"^“Voucher Number” of Payment Order change only through its actions, which check "
            r"their conditions and record who and why\.$",
        ):
            order.with_user(self.finance).write({"manual_voucher_ref": "伪造凭证"})
        with self.assertRaisesExactly(
            UserError,
            r"^“Confirmed By” of Payment Order change only through its actions, which check their "
            r"conditions and record who and why\.$",
        ):
            order.with_user(self.finance).write({"manual_confirmed_by_id": self.finance_2.id})
