from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _guarantee_file_holders(self):
        """The evidence of an approved compensation and of a posted write-off is locked."""
        return super()._guarantee_file_holders() + ["guarantee.compensation", "guarantee.loss"]
