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

    __slots__ = ("history", "models")

    def __init__(self, model_names, history=False):
        self.models = frozenset(model_names)
        self.history = history


class GuaranteeLockMixin(models.AbstractModel):
    """Fields locked by state, declared once per model (in the spirit of OCA
    base_tier_validation): a model lists

    - ``_lock_action_fields``: fields only its actions write, in every state (the state,
      the decision, amounts that come from bank notices…);
    - ``_lock_fields_by_state``: ``{state: fields}`` frozen once the record is in that state;
    - ``_lock_open_fields_by_state``: ``{state: fields}`` the only fields still writable in
      that state (an allow-list: every other field is frozen, those a later addon adds
      included; chatter and activities stay free, the actions write through ``_unlocked()``);
    - ``_lock_readonly_states``: states in which no field changes at all;
    - ``_lock_unlink_states``: the only states from which a record may be deleted (``None``:
      the model decides itself);
    - ``_lock_initial_state``: the state every record is born in (``None``: the default of
      its state field);
    - ``_lock_archive_states``: the only states in which a record may be archived (``None``:
      no rule); a record with a balance or live money stays visible;
    - ``_lock_attachment_fields``: fields holding ``ir.attachment`` files (evidence…), whose
      files are locked with the field (see ir_attachment.py);
    - ``_lock_transitions``: ``{action or step: (states it leaves, state it enters)}``, the
      only moves of the state; empty: the model's actions are not checked against a graph.

    ``create`` (``load`` and ``copy`` go through it), ``write`` and ``unlink`` refuse the rest
    with a translated ``UserError``, whoever calls (sudo included); the model's actions write
    through ``_unlocked()``, imports of history through ``_unlocked(history=True)``, which
    also creates records in any state and jumps the graph. ``copy`` resets what actions own.
    A model words a refusal its own way by overriding ``_lock_refusal``.
    """

    _name = "guarantee.lock.mixin"
    _description = "Guarantee Record Locked by State"

    _lock_state_field = "state"
    _lock_action_fields = ("state",)
    _lock_fields_by_state = {}
    _lock_open_fields_by_state = {}
    _lock_readonly_states = ()
    _lock_unlink_states = None
    _lock_initial_state = None
    _lock_transitions = {}
    _lock_attachment_fields = ()
    _lock_archive_states = None

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

    def _lock_initial(self):
        """The state a record is created in, or None for a model without a state field."""
        field = self._fields.get(self._lock_state_field or "")
        if field is None:
            return None
        if self._lock_initial_state:
            return self._lock_initial_state
        return field.default(self) if callable(field.default) else field.default

    def _lock_entered_from(self):
        """``{state: states it may be entered from}``, from ``_lock_transitions``."""
        edges = {}
        for from_states, to_state in self._lock_transitions.values():
            edges.setdefault(to_state, set()).update(from_states)
        return edges

    @api.model
    def _guarantee_locked_holders(self, attachments):
        """The records holding one of ``attachments`` in a field their state locks."""
        holders = self.browse()
        for name in self._lock_attachment_fields:
            holders |= self.search([(name, "in", attachments.ids)]).filtered(
                lambda record, name=name: record._lock_field_locked(name)
            )
        return holders

    @api.model
    def _guarantee_locked_targets(self, ids):
        """Files attached by ``res_model``/``res_id`` are not a locked field's files."""
        return self.browse()

    def _lock_field_locked(self, name):
        self.ensure_one()
        state = self._lock_state()
        return state in self._lock_readonly_states or name in self._lock_fields_for(state)

    def _lock_fields_for(self, state):
        """The fields frozen in ``state``: those declared for it and, in a state with an
        allow-list, every field but the open ones."""
        locked = set(self._lock_fields_by_state.get(state, ()))
        if state in self._lock_open_fields_by_state:
            locked |= set(self._fields) - set(self._lock_open_fields_by_state[state])
        return locked

    # ------------------------------------------------------------------ refusals

    def _lock_refusal(self, kind, **params):
        """The message of a refusal of ``kind`` (translated), for a model to word its own:

        - ``created`` (``initial``, ``state``): a record created in another state than its
          initial one;
        - ``action_fields`` (``names``): fields only actions write, given on create or write;
        - ``readonly`` (``record``, ``state``): a write in a read-only state;
        - ``frozen`` (``record``, ``state``, ``names``): fields frozen in the record's state;
        - ``transition`` (``record``, ``state``, ``new``): a move outside the state graph;
        - ``unlink`` / ``archive`` (``record``, ``state``): a deletion or an archiving the
          record's state forbids.
        """
        if kind == "created":
            return _(
                "A %(model)s is created %(initial)s; it becomes %(state)s only "
                "through its actions.",
                model=self._description,
                initial=self._lock_state_label(params["initial"]),
                state=self._lock_state_label(params["state"]),
            )
        if kind == "action_fields":
            return _(
                "%(fields)s of %(model)s change only through its actions, which check "
                "their conditions and record who and why.",
                fields=self._lock_field_labels(params["names"]),
                model=self._description,
            )
        record, state = params["record"], self._lock_state_label(params["state"])
        if kind == "readonly":
            return _(
                "%(record)s is %(state)s and can no longer be changed.",
                record=record.display_name,
                state=state,
            )
        if kind == "frozen":
            return _(
                "%(record)s is %(state)s: %(fields)s can no longer be changed.",
                record=record.display_name,
                state=state,
                fields=self._lock_field_labels(params["names"]),
            )
        if kind == "transition":
            return _(
                "%(record)s is %(state)s and cannot become %(new)s.",
                record=record.display_name,
                state=state,
                new=self._lock_state_label(params["new"]),
            )
        if kind == "unlink":
            return _(
                "%(record)s is %(state)s and cannot be deleted.",
                record=record.display_name,
                state=state,
            )
        return _(
            "%(record)s is %(state)s: a record with a balance or money still "
            "moving is not archived.",
            record=record.display_name,
            state=state,
        )

    # ------------------------------------------------------------------ unlocking

    def _unlocked(self, history=False):
        """These records, writable by the calling action (server-side code only).

        ``history``: a declared server-only import of history (the ledger import), which
        creates records in the state the ledger gives, outside the state graph."""
        token = self.env.context.get(_CONTEXT_KEY)
        names = {self._name} | (token.models if isinstance(token, _UnlockToken) else set())
        history = history or (isinstance(token, _UnlockToken) and token.history)
        return self.with_context(**{_CONTEXT_KEY: _UnlockToken(names, history=history)})

    def _lock_is_unlocked(self):
        token = self.env.context.get(_CONTEXT_KEY)
        return isinstance(token, _UnlockToken) and self._name in token.models

    def _lock_is_history(self):
        token = self.env.context.get(_CONTEXT_KEY)
        return self._lock_is_unlocked() and token.history

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self._lock_is_unlocked():
            self._lock_check_create(vals_list)
        return super().create(vals_list)

    def copy_data(self, default=None):
        """A copy starts where a new record starts: in the initial state, without what the
        actions of the original wrote (entries, orders, dates of payment…). What the caller
        puts in ``default`` is judged by ``create`` like any other value."""
        vals_list = super().copy_data(default=default)
        default = default or {}
        reset = set(self._lock_action_fields) - set(default)
        initial = self._lock_initial()
        for vals in vals_list:
            for name in reset & set(vals):
                del vals[name]
            if initial and self._lock_state_field not in default:
                vals[self._lock_state_field] = initial
        return vals_list

    def write(self, vals):
        if not self._lock_is_unlocked():
            # Who may not write at all is told so before learning anything about the record.
            self.check_access("write")
            self._lock_check_write(vals)
        elif self._lock_state_field in vals and not self._lock_is_history():
            self._lock_check_transition(vals[self._lock_state_field])
        if "active" in vals and not vals["active"] and not self._lock_is_history():
            self._lock_check_archive()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _lock_check_unlink(self):
        if self._lock_unlink_states is None or self._lock_is_unlocked():
            return
        for record in self.sudo():
            state = record._lock_state()
            if state not in self._lock_unlink_states:
                raise UserError(self._lock_refusal("unlink", record=record, state=state))

    # ------------------------------------------------------------------ checks

    @api.model
    def _lock_check_create(self, vals_list):
        """A record is born in its initial state, without the values only actions write
        (a value equal to the field's default is no forgery: imports send the defaults)."""
        initial = self._lock_initial()
        state_field = self._lock_state_field
        action_fields = set(self._lock_action_fields) - {state_field}
        given = action_fields & {name for vals in vals_list for name in vals}
        defaults = self.default_get(sorted(given)) if given else {}
        for vals in vals_list:
            if state_field in vals and initial and vals[state_field] != initial:
                raise UserError(
                    self._lock_refusal("created", initial=initial, state=vals[state_field])
                )
            forged = {
                name for name in action_fields & set(vals)
                if vals[name] and vals[name] != defaults.get(name)
            }
            if forged:
                raise UserError(self._lock_refusal("action_fields", names=forged))

    def _lock_check_archive(self):
        if self._lock_archive_states is None:
            return
        for record in self.sudo():
            state = record._lock_state()
            if state not in self._lock_archive_states:
                raise UserError(self._lock_refusal("archive", record=record, state=state))

    def _lock_check_transition(self, new_state):
        """An action moves the state along the declared graph only."""
        entered_from = self._lock_entered_from()
        if not entered_from:
            return
        for record in self.sudo():
            old = record[self._lock_state_field]
            if old != new_state and old not in entered_from.get(new_state, ()):
                raise UserError(
                    self._lock_refusal("transition", record=record, state=old, new=new_state)
                )

    def _lock_check_write(self, vals):
        written = {name for name in vals if not name.startswith(_FREE_PREFIXES)}
        if not written:
            return
        action_only = written & self._lock_action_field_names()
        if action_only:
            raise UserError(self._lock_refusal("action_fields", names=action_only))
        for record in self.sudo():
            state = record._lock_state()
            if state in self._lock_readonly_states:
                raise UserError(self._lock_refusal("readonly", record=record, state=state))
            locked = written & record._lock_fields_for(state)
            if locked:
                raise UserError(
                    self._lock_refusal("frozen", record=record, state=state, names=locked)
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
