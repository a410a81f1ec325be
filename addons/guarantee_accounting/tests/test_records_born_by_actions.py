from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

from .common import GuaranteeAccountingCase

USER_ERROR = "odoo.exceptions.UserError"


@tagged("post_install", "-at_install")
class TestRecordsBornByActions(GuaranteeAccountingCase, JsonRpcMixin, HttpCase):
    """Issue 22, "Found": a record can be born in a state that only its actions reach.

    Finance (the demo login ``finance``) creates, imports (``load``) and copies money records
    over JSON-RPC with forged states and links; each is refused, and a copy starts where a
    new record starts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the messages are asserted in the source language
        work_in_company(cls.env, cls.company, ["finance", "pm1"]).lang = "en_US"
        cls.project = cls._project_in("active")

    def _refused(self, model, method, *args, message, **kwargs):
        """The call is refused by a UserError (not a subclass) saying ``message``."""
        _text, result, error = self.rpc(model, method, *args, **kwargs)
        self.assertIsNone(result)
        self.assertEqual(error and error["data"]["name"], USER_ERROR, error)
        self.assertRegex(error["data"]["message"], message)

    def _load_refused(self, model, fields, row, message):
        """``load`` (the import) writes nothing and answers ``message``."""
        answer = self.rpc_ok(model, "load", fields, [row])
        self.assertFalse(answer["ids"])
        self.assertRegex(" ".join(m["message"] for m in answer["messages"]), message)

    def assertRaisesExactly(self, exception, message, call, *args, **kwargs):
        with self.assertRaisesRegex(exception, message) as caught:
            call(*args, **kwargs)
        self.assertIs(type(caught.exception), exception)

    # ------------------------------------------------------------------ compensation

    def test_finance_cannot_create_import_or_copy_an_approved_compensation(self):
        born_draft = "A Compensation is created Draft; it becomes Approved only through its actions"
        self.rpc_login("finance")
        count = self.env["guarantee.compensation"].search_count([])
        self._refused("guarantee.compensation", "create", {
            "project_id": self.project.id, "principal": 500000.0, "state": "approved",
            "bank_reference": "CUI-FORGED",
        }, message=born_draft)
        self._load_refused(
            "guarantee.compensation", ["project_id/.id", "principal", "state"],
            [str(self.project.id), "500000", "approved"], born_draft,
        )
        draft = self.env["guarantee.compensation"].create(
            {"project_id": self.project.id, "principal": 1000.0}
        )
        self._refused("guarantee.compensation", "copy", [draft.id], {"state": "approved"},
                      message=born_draft)
        self.assertEqual(self.env["guarantee.compensation"].search_count([]), count + 1)
        # and as superuser, through the ORM
        self.assertRaisesExactly(
            UserError, born_draft, self.env["guarantee.compensation"].sudo().create,
            {"project_id": self.project.id, "principal": 1000.0, "state": "approved"},
        )

    def test_a_copied_paid_compensation_is_a_new_draft_without_entry_or_orders(self):
        paid = self._paid_compensation(self._project_in("active"))
        self.assertTrue(paid.move_id and paid.payment_order_ids and paid.date_paid)
        self.rpc_login("finance")
        active = self._project_in("active")
        copy_id = self.rpc_ok("guarantee.compensation", "copy", [paid.id],
                              {"project_id": active.id})[0]
        copy = self.env["guarantee.compensation"].browse(copy_id)
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.move_id)
        self.assertFalse(copy.payment_order_ids)
        self.assertFalse(copy.date_paid)
        self._refused("guarantee.compensation", "copy", [paid.id],
                      {"move_id": paid.move_id.id},
                      message="“Journal Entry” of Compensation change only through its actions")

    # ------------------------------------------------------------------ fee

    def test_finance_cannot_create_or_copy_a_paid_fee(self):
        born_due = "A Guarantee Fee Line is created Due; it becomes Paid only through its actions"
        fee_vals = {"project_id": self.project.id, "date_from": "2026-01-01",
                    "date_to": "2026-12-31", "date_due": "2026-01-01", "amount": 7500.0,
                    "is_upfront": True}
        self.rpc_login("finance")
        self._refused("guarantee.fee", "create", dict(fee_vals, state="paid"),
                      message=born_due)
        self._refused("guarantee.fee", "create", dict(fee_vals, date_paid="2026-01-01",
                                                      amount_paid=7500.0),
                      message="change only through its actions")
        self._load_refused(
            "guarantee.fee",
            ["project_id/.id", "date_from", "date_to", "date_due", "amount", "state"],
            [str(self.project.id), "2026-01-01", "2026-12-31", "2026-01-01", "7500", "paid"],
            born_due,
        )
        paid = self.env["guarantee.fee"].create(fee_vals)
        paid.action_mark_paid()
        self._refused("guarantee.fee", "copy", [paid.id], {"state": "paid"}, message=born_due)
        copy = self.env["guarantee.fee"].browse(
            self.rpc_ok("guarantee.fee", "copy", [paid.id])[0]
        )
        self.assertEqual((copy.state, copy.date_paid, copy.amount_paid), ("due", False, 0.0))

    # ------------------------------------------------------------------ recovery and loss

    def test_a_recovery_or_a_loss_cannot_be_born_posted(self):
        project = self._project_in("active")
        self._paid_compensation(project)
        receivable = project.compensation_receivable
        self.rpc_login("finance")
        self._refused("guarantee.recovery", "create", {
            "project_id": project.id, "kind": "cash", "amount": 100000.0, "state": "posted",
        }, message="A Recovery is created Draft; it becomes Posted only through its actions")
        self._load_refused(
            "guarantee.recovery", ["project_id/.id", "amount", "state"],
            [str(project.id), "100000", "posted"],
            "A Recovery is created Draft; it becomes Posted only through its actions",
        )
        self._refused("guarantee.loss", "create", {
            "project_id": project.id, "amount": 100000.0, "reason": "无可执行财产",
            "state": "posted",
        }, message="A Loss Write-off is created Draft; it becomes Posted only through its "
                   "actions")
        project.invalidate_recordset()
        self.assertEqual(project.compensation_receivable, receivable)

    def test_a_draft_recovery_cannot_take_another_compensations_entry(self):
        other = self._paid_compensation(self._project_in("active"))
        project = self._project_in("active")
        self._paid_compensation(project)
        link = "“Journal Entry” of Recovery change only through its actions"
        self.rpc_login("finance")
        self._refused("guarantee.recovery", "create", {
            "project_id": project.id, "kind": "cash", "amount": 1000.0,
            "move_id": other.move_id.id,
        }, message=link)
        draft = self.env["guarantee.recovery"].create(
            {"project_id": project.id, "kind": "cash", "amount": 1000.0}
        )
        self._refused("guarantee.recovery", "write", [draft.id], {"move_id": other.move_id.id},
                      message=link)
        self.assertFalse(draft.move_id)
        self.assertRaisesExactly(UserError, link, draft.sudo().write,
                                 {"move_id": other.move_id.id})
        # cancelling the draft leaves the other compensation's entry alone
        draft.action_cancel()
        self.assertFalse(other.move_id.reversal_move_ids)

    # ------------------------------------------------------------------ margin, project

    def test_a_margin_or_a_project_cannot_be_imported_in_a_later_state(self):
        self.rpc_login("finance")
        self._load_refused(
            "guarantee.margin", ["project_id/.id", "kind", "amount", "state"],
            [str(self.project.id), "refund", "50000", "done"],
            "A margin movement is created as a draft and then confirmed",
        )
        self.rpc_login("pm1")
        self._load_refused(
            "guarantee.project",
            ["partner_id/.id", "product_id/.id", "amount", "state"],
            [str(self.customer.id), str(self.product.id), "1000000", "active"],
            "A guarantee project is always created pending intake",
        )

    # ------------------------------------------------------------------ the declared graph

    def test_actions_move_the_state_only_along_the_declared_graph(self):
        paid = self._paid_compensation(self._project_in("active"))
        self.assertRaisesExactly(
            UserError, "is Paid and cannot become Draft",
            paid._unlocked().write, {"state": "draft"},
        )
        fee = self.env["guarantee.fee"].create({
            "project_id": self.project.id, "date_from": "2026-01-01", "date_to": "2026-12-31",
            "date_due": "2026-01-01", "amount": 7500.0,
        })
        fee.action_mark_paid()
        self.assertRaisesExactly(
            UserError, "is Paid and cannot become Due", fee._unlocked().write, {"state": "due"},
        )
        self.assertEqual((paid.state, fee.state), ("paid", "paid"))

    def test_a_payment_order_is_born_draft_and_its_outcome_is_final(self):
        """A paid order's transfer is settled: no step of the bank, and no superuser, takes
        it back to draft or makes it born sent."""
        paid = self._paid_compensation(self._project_in("active"))
        order = paid.payment_order_ids
        self.assertEqual(order.state, "done")
        for state, label in (("draft", "Draft"), ("failed", "Failed"), ("sent", "Sent")):
            self.assertRaisesExactly(
                UserError, f"{order.name} is Done and cannot become {label}.",
                order._unlocked().write, {"state": state},
            )
        self.rpc_login("finance")
        self._refused("guarantee.payment.order", "copy", [order.id], {"state": "sent"},
                      message="A payment order is created as a draft and then sent.")
        self.assertRaisesExactly(
            UserError, "A payment order is created as a draft and then sent.",
            self.env["guarantee.payment.order"].sudo().create,
            {"compensation_id": paid.id, "project_id": paid.project_id.id,
             "partner_id": paid.creditor_id.id, "amount": paid.total, "state": "done"},
        )
        self.assertEqual(order.state, "done")

    # ------------------------------------------------------------------ other state fields

    def test_a_collection_is_paid_and_a_scorecard_activated_only_by_their_buttons(self):
        """The other models with a state field: the risk officer (demo ``risk``), who may
        write collection cases and scorecards, cannot set their state."""
        work_in_company(self.env, self.company, ["risk"]).lang = "en_US"
        case = self.env["guarantee.collection"].create({
            "name": "逾期担保费催收", "project_id": self.project.id, "origin": "bank",
            "origin_ref": "OVD-22", "amount_due": 7500.0, "date_due": "2026-11-30",
        })
        self.rpc_login("risk")
        self._refused("guarantee.collection", "write", [case.id],
                      {"state": "paid", "date_paid": "2026-12-01"},
                      message="change only through its actions")
        self.assertEqual(case.state, "open")
        self._refused("guarantee.scorecard", "create", {"name": "伪造评分卡", "state": "active"},
                      message="A scorecard is created as a draft and activated with its button")
