from odoo import api, models


class SequenceNumberMixin(models.AbstractModel):
    """A number from an ``ir.sequence`` given at creation to a record created without one.

    A model sets ``_sequence_code`` (or overrides ``_sequence_code_for`` when the code depends
    on the values, e.g. a contract's kind); the number goes in ``_sequence_field`` ("name")
    when it is empty or "/", drawn for the record's company. A model's own checks in its
    ``create`` run before the number is drawn (they call ``super().create`` last), so a refused
    record consumes no number. A sequence whose prefix has a year uses date ranges and
    ``%(range_year)s`` so that its counter restarts every year (``tools.sequences``).
    """

    _name = "sequence.number.mixin"
    _description = "Number From a Sequence"

    _sequence_code = None
    _sequence_field = "name"

    @api.model
    def _sequence_code_for(self, vals):
        """The code of the sequence numbering a record created with ``vals``."""
        return self._sequence_code

    @api.model
    def _next_sequence_number(self, vals):
        sequence = self.env["ir.sequence"]
        if vals.get("company_id"):
            sequence = sequence.with_company(vals["company_id"])
        return sequence.next_by_code(self._sequence_code_for(vals)) or "/"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get(self._sequence_field, "/") == "/":
                vals[self._sequence_field] = self._next_sequence_number(vals)
        return super().create(vals_list)
