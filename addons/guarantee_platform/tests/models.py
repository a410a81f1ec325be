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
