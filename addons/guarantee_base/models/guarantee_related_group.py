from odoo import fields, models


class GuaranteeRelatedGroup(models.Model):
    """关联方组: customers under common control, whose exposure is limited together."""

    _name = "guarantee.related.group"
    _description = "Related-Party Group"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_ids = fields.One2many("res.partner", "related_group_id", string="Members")
    note = fields.Text(string="Relationship")
    active = fields.Boolean(default=True)
