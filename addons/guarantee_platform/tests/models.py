"""Small models the platform's tests load with odoo-test-helper (never installed)."""

from odoo import api, fields, models


class PlatformTestNumbered(models.Model):
    _name = "platform.test.numbered"
    _description = "Platform Test: Numbered Record"
    _inherit = ["sequence.number.mixin"]
    _sequence_code = "platform.test.numbered"

    name = fields.Char(default="/")
    company_id = fields.Many2one("res.company")
    kind = fields.Selection([("a", "A"), ("b", "B")], default="a")

    @api.model
    def _sequence_code_for(self, vals):
        if vals.get("kind") == "b":
            return "platform.test.numbered.b"
        return super()._sequence_code_for(vals)


class PlatformTestPerson(models.Model):
    _name = "platform.test.person"
    _description = "Platform Test: Person With Personal Data"
    _inherit = ["mail.thread"]
    _masked_fields = {"id_number": "id_number", "phone": "phone", "account": "account"}

    name = fields.Char()
    id_number = fields.Char(tracking=True)
    phone = fields.Char()
    account = fields.Char()
    is_public = fields.Boolean()

    def _masked_value(self, field_name, value):
        """A public record's ID number is shown whole (as a company's registration is)."""
        if field_name == "id_number" and self.is_public:
            return value
        return super()._masked_value(field_name, value)


class PlatformTestLocked(models.Model):
    _name = "platform.test.locked"
    _description = "Platform Test: Locked Record"
    _inherit = ["guarantee.lock.mixin"]
    _lock_action_fields = ("state", "approved_by")
    _lock_fields_by_state = {"approved": ("amount",)}
    _lock_readonly_states = ("done",)
    _lock_unlink_states = ("draft",)
    _lock_transitions = {
        "approve": (("draft",), "approved"),
        "finish": (("approved",), "done"),
    }

    name = fields.Char()
    amount = fields.Float()
    note = fields.Char()
    approved_by = fields.Char()
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("done", "Done")], default="draft"
    )

    def action_approve(self):
        self._unlocked().write({"state": "approved", "approved_by": "boss"})

    def action_finish(self):
        self._unlocked().write({"state": "done"})


class PlatformTestVersioned(models.Model):
    """A version frozen by an allow-list once released, with its own wording of a refusal."""

    _name = "platform.test.versioned"
    _description = "Platform Test: Versioned Record"
    _inherit = ["guarantee.lock.mixin"]
    _lock_action_fields = ("state", "date_released")
    _lock_open_fields_by_state = {"released": ("note", "responsible"), "retired": ("note",)}
    _lock_initial_state = "draft"
    _lock_transitions = {
        "release": (("draft",), "released"),
        "retire": (("released",), "retired"),
    }

    name = fields.Char()
    factor = fields.Float()
    weight = fields.Float()
    note = fields.Char()
    responsible = fields.Char()
    date_released = fields.Date()
    state = fields.Selection(
        [("draft", "Draft"), ("released", "Released"), ("retired", "Retired")], default="draft"
    )

    def action_release(self):
        self._unlocked().write({"state": "released", "date_released": "2026-01-01"})

    def action_retire(self):
        self._unlocked().write({"state": "retired"})

    def _lock_refusal(self, kind, **params):
        if kind == "frozen" and params["state"] == "retired":
            return "A retired version is frozen: copy it."
        return super()._lock_refusal(kind, **params)
