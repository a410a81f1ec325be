from odoo import fields, models


class GuaranteeProjectReassignWizard(models.TransientModel):
    _inherit = "guarantee.project.reassign.wizard"

    credit_line_id = fields.Many2one("guarantee.credit.line", string="Credit Line")

    def _reassigned_fields(self):
        return super()._reassigned_fields() + ["credit_line_id"]
