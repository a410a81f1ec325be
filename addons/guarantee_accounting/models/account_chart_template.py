from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo, force_create=True):
        """A company that gets a chart gets its guarantee accounts and journals too."""
        result = super()._load(template_code, company, install_demo, force_create=force_create)
        company._guarantee_setup_accounting()
        return result
