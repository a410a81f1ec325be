from odoo import fields, models


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", readonly=True, copy=False, index="btree_not_null"
    )
