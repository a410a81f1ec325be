from odoo import api, models


class GuaranteeBankNotification(models.Model):
    _inherit = "guarantee.bank.notification"

    @api.model
    def _project_domain(self, connector, number):
        """An application held until its applicant is verified receives no bank notice: the
        bank that submitted it is not yet known to act for that customer."""
        return super()._project_domain(connector, number) + [
            ("api_applicant_unverified", "=", False)]
