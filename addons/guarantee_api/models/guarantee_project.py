from odoo import fields, models


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    api_source_partner_id = fields.Many2one(
        "res.partner", string="Submitted Through API By", readonly=True, copy=False,
        index=True, tracking=True,
        help="The bank or platform that submitted this application through the partner API.",
    )
