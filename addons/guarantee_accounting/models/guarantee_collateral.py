from odoo import fields, models


class GuaranteeCollateral(models.Model):
    _inherit = "guarantee.collateral"

    legacy_ref = fields.Char(
        string="Ledger Reference", copy=False, index=True, readonly=True,
        help="反担保编号 of the legacy ledger this counter-guarantee was imported from.",
    )
    import_log_id = fields.Many2one(
        "guarantee.import.log", string="Ledger Import", readonly=True, copy=False, index=True,
        help="The ledger file this counter-guarantee was imported or last updated from.",
    )
