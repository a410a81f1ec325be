from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TestModelCase


@tagged("post_install", "-at_install")
class TestLockMixin(TestModelCase):
    """Fields locked by state and the state graph, declared once, on a test model."""

    _test_models = ("PlatformTestLocked",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Locked = cls.env["platform.test.locked"]

    def _refused(self, message):
        return self.assertRaisesExactly(UserError, "^%s$" % message)

    def test_a_record_is_born_in_its_initial_state_without_action_values(self):
        with self._refused(r"A Platform Test: Locked Record is created Draft; it becomes "
                           r"Approved only through its actions\."):
            self.Locked.create({"name": "x", "state": "approved"})
        with self._refused(r"“Approved By” of Platform Test: Locked Record change only through "
                           r"its actions, which check their conditions and record who and why\."):
            self.Locked.create({"name": "x", "approved_by": "me"})
        self.assertEqual(self.Locked.create({"name": "x"}).state, "draft")

    def test_fields_lock_with_the_state_and_actions_write_through_unlocked(self):
        record = self.Locked.create({"name": "x", "amount": 100.0})
        record.write({"amount": 120.0})  # a draft is free
        with self._refused(r"“Approved By” of Platform Test: Locked Record change only through "
                           r"its actions, which check their conditions and record who and why\."):
            record.write({"approved_by": "me"})
        record.action_approve()
        self.assertEqual((record.state, record.approved_by), ("approved", "boss"))
        with self._refused(r"x is Approved: “Amount” can no longer be changed\."):
            record.write({"amount": 150.0})
        record.write({"note": "still free"})
        record.action_finish()
        with self._refused(r"x is Done and can no longer be changed\."):
            record.write({"note": "frozen"})

    def test_the_state_moves_along_the_declared_graph_only(self):
        record = self.Locked.create({"name": "x"})
        with self._refused(r"x is Draft and cannot become Done\."):
            record.action_finish()
        record.action_approve()
        record.action_finish()
        self.assertEqual(record.state, "done")

    def test_only_a_draft_is_deleted(self):
        draft, approved = self.Locked.create([{"name": "a"}, {"name": "b"}])
        approved.action_approve()
        with self._refused(r"b is Approved and cannot be deleted\."):
            approved.unlink()
        draft.unlink()
        self.assertFalse(draft.exists())
