from odoo import models

# Partner fields that decide a borrower's key, weight category or related group in the ledger.
LEDGER_PARTNER_FIELDS = {
    "uscc",
    "enterprise_scale",
    "is_company",
    "is_agricultural",
    "related_group_id",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        result = super().write(vals)
        if LEDGER_PARTNER_FIELDS.intersection(vals):
            self.env["guarantee.exposure"].sudo()._refresh_partners(self)
        return result
