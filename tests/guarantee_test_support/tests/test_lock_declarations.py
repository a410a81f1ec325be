from odoo.tests import TransactionCase, tagged

from .locked_fields import ACTION_ONLY, ALL, DELETABLE_IN, PSEUDO_STATES, all_but, locked_in


@tagged("post_install", "-at_install")
class TestLockDeclarations(TransactionCase):
    """The models' lock declarations say exactly what the hand-written list says, in both
    directions: a field dropped from a declaration, or locked without being listed, fails
    here (and then in the lock tests, which read the list)."""

    def _lock_models(self):
        mixin = self.registry["guarantee.lock.mixin"]
        return sorted(
            name for name, model in self.registry.items()
            if not model._abstract and issubclass(model, mixin)
        )

    @staticmethod
    def _declared_action_only(model):
        """The declared action-only fields, without the read-only computed and related
        fields the mixin adds by rule."""
        computed = {
            name for name, field in model._fields.items()
            if field.readonly and (field.compute or field.related)
        }
        return model._lock_action_field_names() - computed

    def _states(self, model):
        field = model._fields.get(model._lock_state_field or "")
        values = [value for value, _label in field._description_selection(self.env)] if (
            field) else []
        return values + list(PSEUDO_STATES.get(model._name, ()))

    @staticmethod
    def _declared_locked(model, state):
        locked = model._lock_fields_for(state)
        if state in model._lock_readonly_states or locked >= set(model._fields):
            return ALL
        if state in model._lock_open_fields_by_state:
            return all_but(*(set(model._fields) - locked))
        return locked

    def test_every_model_with_locks_is_in_the_list_and_only_those(self):
        self.assertEqual(set(self._lock_models()), set(ACTION_ONLY))
        self.assertEqual(set(self._lock_models()), set(DELETABLE_IN))

    def test_action_only_fields_are_declared_as_listed(self):
        for name in self._lock_models():
            with self.subTest(model=name):
                self.assertEqual(self._declared_action_only(self.env[name]),
                                 ACTION_ONLY.get(name))

    def test_fields_locked_in_each_state_are_declared_as_listed(self):
        for name in self._lock_models():
            model = self.env[name]
            for state in self._states(model):
                with self.subTest(model=name, state=state):
                    self.assertEqual(self._declared_locked(model, state),
                                     locked_in(name, state))

    def test_states_a_record_may_be_deleted_in_are_declared_as_listed(self):
        for name in self._lock_models():
            declared = self.env[name]._lock_unlink_states
            with self.subTest(model=name):
                self.assertIn(name, DELETABLE_IN)
                self.assertEqual(None if declared is None else set(declared),
                                 None if DELETABLE_IN[name] is None else set(DELETABLE_IN[name]))
