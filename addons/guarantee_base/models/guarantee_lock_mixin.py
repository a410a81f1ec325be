from odoo import _, api, models
from odoo.exceptions import UserError

# A record whose model has no state field is always in this pseudo-state.
LOCK_ALWAYS = "always"
# Fields any model of the mixin may write in any state: chatter and activities only.
_FREE_PREFIXES = ("message_", "activity_", "website_message_", "rating_")
_CONTEXT_KEY = "guarantee_unlocked"


class _UnlockToken:
    """Proof that a write comes from a model's own action or wizard.

    It travels in the context, but only Python code on the server can build one: JSON-RPC
    can send strings, numbers, lists and dicts, never an instance of this class. It names
    the models it unlocks, so an action of one model does not open the records of another.
    """

    __slots__ = ("models",)

    def __init__(self, model_names):
        self.models = frozenset(model_names)


class GuaranteeLockMixin(models.AbstractModel):
    """Fields locked by state, declared once per model (in the spirit of OCA
    base_tier_validation): a model lists

    - ``_lock_action_fields``: fields only its actions write, in every state (the state,
      the decision, amounts that come from bank notices…);
    - ``_lock_fields_by_state``: ``{state: fields}`` frozen once the record is in that state;
    - ``_lock_readonly_states``: states in which no field changes at all;
    - ``_lock_unlink_states``: the only states from which a record may be deleted (``None``:
      the model decides itself).

    ``write`` and ``unlink`` refuse the rest with a translated ``UserError``, whoever calls
    (sudo included); the model's actions write through ``_unlocked()``.
    """

    _name = "guarantee.lock.mixin"
    _description = "Guarantee Record Locked by State"

    _lock_state_field = "state"
    _lock_action_fields = ("state",)
    _lock_fields_by_state = {}
    _lock_readonly_states = ()
    _lock_unlink_states = None

    # ------------------------------------------------------------------ declarations

    def _lock_state(self):
        """The state the locks of this record are looked up with."""
        self.ensure_one()
        if not self._lock_state_field:
            return LOCK_ALWAYS
        return self[self._lock_state_field]

    def _lock_action_field_names(self):
        """Declared action fields, and every read-only computed or related field: the
        system's arithmetic (a balance, a total) is never typed in."""
        computed = {
            name
            for name, field in self._fields.items()
            if field.readonly and (field.compute or field.related)
        }
        return set(self._lock_action_fields) | computed

    def _lock_fields_for(self, state):
        """The fields frozen in ``state``; every written field in a read-only state."""
        return set(self._lock_fields_by_state.get(state, ()))

    # ------------------------------------------------------------------ unlocking

    def _unlocked(self):
        """These records, writable by the calling action (server-side code only)."""
        token = self.env.context.get(_CONTEXT_KEY)
        names = {self._name} | (token.models if isinstance(token, _UnlockToken) else set())
        return self.with_context(**{_CONTEXT_KEY: _UnlockToken(names)})

    def _lock_is_unlocked(self):
        token = self.env.context.get(_CONTEXT_KEY)
        return isinstance(token, _UnlockToken) and self._name in token.models

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        if not self._lock_is_unlocked():
            # Who may not write at all is told so before learning anything about the record.
            self.check_access("write")
            self._lock_check_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _lock_check_unlink(self):
        if self._lock_unlink_states is None or self._lock_is_unlocked():
            return
        for record in self.sudo():
            state = record._lock_state()
            if state not in self._lock_unlink_states:
                raise UserError(
                    _(
                        "%(record)s is %(state)s and cannot be deleted.",
                        record=record.display_name,
                        state=record._lock_state_label(state),
                    )
                )

    # ------------------------------------------------------------------ checks

    def _lock_check_write(self, vals):
        written = {name for name in vals if not name.startswith(_FREE_PREFIXES)}
        if not written:
            return
        action_only = written & self._lock_action_field_names()
        if action_only:
            raise UserError(
                _(
                    "%(fields)s of %(model)s change only through its actions, which check "
                    "their conditions and record who and why.",
                    fields=self._lock_field_labels(action_only),
                    model=self._description,
                )
            )
        for record in self.sudo():
            state = record._lock_state()
            if state in self._lock_readonly_states:
                raise UserError(
                    _(
                        "%(record)s is %(state)s and can no longer be changed.",
                        record=record.display_name,
                        state=record._lock_state_label(state),
                    )
                )
            locked = written & record._lock_fields_for(state)
            if locked:
                raise UserError(
                    _(
                        "%(record)s is %(state)s: %(fields)s can no longer be changed.",
                        record=record.display_name,
                        state=record._lock_state_label(state),
                        fields=self._lock_field_labels(locked),
                    )
                )

    def _lock_field_labels(self, names):
        fields_info = self.fields_get(sorted(names), attributes=["string"])
        return ", ".join(
            "“%s”" % fields_info.get(name, {}).get("string", name) for name in sorted(names)
        )

    def _lock_state_label(self, state):
        field = self._fields.get(self._lock_state_field or "")
        if field is not None and field.type == "selection":
            labels = dict(field._description_selection(self.env))
            if state in labels:
                return labels[state]
        return {LOCK_ALWAYS: _("posted")}.get(state, state)
