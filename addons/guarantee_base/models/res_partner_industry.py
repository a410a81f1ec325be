from odoo import api, fields, models


class ResPartnerIndustry(models.Model):
    """Odoo's industries, extended with the national classification GB/T 4754-2017.

    Sections (门类, a letter) are parents of divisions (大类, two digits).
    """

    _inherit = "res.partner.industry"
    _parent_store = True
    _order = "code, name"

    code = fields.Char(string="GB/T 4754 Code", index=True)
    parent_id = fields.Many2one(
        "res.partner.industry", string="Section", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("res.partner.industry", "parent_id", string="Divisions")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The GB/T 4754 code of an industry must be unique."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for industry in self:
            industry.display_name = (
                f"{industry.code} {industry.name}" if industry.code else industry.name
            )
