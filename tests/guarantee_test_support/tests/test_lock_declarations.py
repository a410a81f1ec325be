from odoo.tests import TransactionCase, tagged

from .locked_fields import (
    ACTION_ONLY,
    ALL,
    DECLARE_A_GRAPH,
    DELETABLE_IN,
    PROJECT_GRAPH,
    PSEUDO_STATES,
    all_but,
    locked_in,
)


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

    def test_the_models_listed_declare_their_state_graph_and_only_those(self):
        """A graph dropped from a model (the project's included) fails here; so does a graph
        naming a state its state field does not have."""
        declared = {name for name in self._lock_models() if self.env[name]._lock_transitions}
        self.assertEqual(declared, DECLARE_A_GRAPH)
        for name in sorted(declared):
            model = self.env[name]
            states = {value for value, _label in
                      model._fields[model._lock_state_field]._description_selection(self.env)}
            for step, (from_states, to_state) in model._lock_transitions.items():
                with self.subTest(model=name, step=step):
                    self.assertLessEqual(set(from_states) | {to_state}, states)

    def test_the_project_graph_is_the_lifecycle_of_the_design(self):
        project = self.env["guarantee.project"]
        edges = {
            (from_state, to_state)
            for from_states, to_state in project._lock_transitions.values()
            for from_state in from_states
        }
        self.assertEqual(edges, PROJECT_GRAPH)
        self.assertEqual(project._lock_initial_state, "draft")
