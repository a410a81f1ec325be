from odoo import api, models


class GuaranteeShareAgreement(models.Model):
    _inherit = "guarantee.share.agreement"

    @api.model
    def _deadline_warnings(self, today):
        signals = super()._deadline_warnings(today)
        return signals | self.env["guarantee.share.claim"]._deadline_warnings(today)
