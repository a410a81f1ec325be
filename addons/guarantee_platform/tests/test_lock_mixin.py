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


@tagged("post_install", "-at_install")
class TestLockMixinOpenFields(TestModelCase):
    """A state that freezes every field but those it declares open (an allow-list), on a test
    model whose refusal of a frozen field is worded its own way."""

    _test_models = ("PlatformTestVersioned",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Versioned = cls.env["platform.test.versioned"]

    def _refused(self, message):
        return self.assertRaisesExactly(UserError, "^%s$" % message)

    def test_only_the_open_fields_change_once_released(self):
        record = self.Versioned.create({"name": "v1", "factor": 1.5})
        record.write({"factor": 2.0, "weight": 0.5, "note": "draft"})  # a draft is free
        record.action_release()
        self.assertEqual((record.state, str(record.date_released)), ("released", "2026-01-01"))
        record.write({"note": "in use", "responsible": "王五"})
        self.assertEqual((record.note, record.responsible), ("in use", "王五"))
        with self._refused(r"v1 is Released: “Factor”, “Weight” can no longer be changed\."):
            record.write({"factor": 3.0, "weight": 1.0, "note": "x"})
        with self._refused(r"v1 is Released: “Name” can no longer be changed\."):
            record.write({"name": "v2"})
        with self._refused(r"“Date Released” of Platform Test: Versioned Record change only "
                           r"through its actions, which check their conditions and record who "
                           r"and why\."):
            record.write({"date_released": "2026-02-01"})
        self.assertEqual((record.factor, record.weight, record.note), (2.0, 0.5, "in use"))

    def test_each_state_has_its_open_fields_and_its_own_wording(self):
        record = self.Versioned.create({"name": "v1"})
        record.action_release()
        record.action_retire()
        record.write({"note": "replaced by v2"})
        with self._refused(r"A retired version is frozen: copy it\."):
            record.write({"responsible": "赵六"})
        self.assertEqual((record.note, record.responsible), ("replaced by v2", False))

    def test_every_field_but_the_open_ones_is_declared_frozen(self):
        """A field the declaration does not name (one a later addon adds) is frozen too."""
        fields_ = set(self.Versioned._fields)
        self.assertEqual(self.Versioned._lock_fields_for("released"),
                         fields_ - {"note", "responsible"})
        self.assertEqual(self.Versioned._lock_fields_for("retired"), fields_ - {"note"})
        self.assertEqual(self.Versioned._lock_fields_for("draft"), set())

    def test_a_released_version_moves_along_the_graph_only(self):
        record = self.Versioned.create({"name": "v1"})
        with self._refused(r"v1 is Draft and cannot become Retired\."):
            record.action_retire()
        with self._refused(r"A Platform Test: Versioned Record is created Draft; it becomes "
                           r"Released only through its actions\."):
            self.Versioned.create({"name": "v2", "state": "released"})
