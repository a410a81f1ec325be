from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ASSET_TYPES = [
    ("real_estate", "Real Estate"),
    ("land", "Land Use Right"),
    ("equipment", "Machinery and Equipment"),
    ("vehicle", "Vehicle"),
    ("deposit", "Deposit"),
    ("receivable", "Accounts Receivable"),
    ("equity", "Equity Interest"),
    ("stock", "Listed Stock"),
    ("ip", "Intellectual Property"),
    ("person", "Natural Person"),
    ("enterprise", "Enterprise"),
]

# 抵质押率 a new company starts with; administrators adjust them in the haircut table.
DEFAULT_HAIRCUTS = {
    "real_estate": 70.0,
    "land": 60.0,
    "equipment": 50.0,
    "vehicle": 50.0,
    "deposit": 100.0,
    "receivable": 60.0,
    "equity": 50.0,
    "stock": 60.0,
    "ip": 30.0,
    "person": 0.0,
    "enterprise": 20.0,
}

# Which asset types each kind of counter-guarantee may hold.
ASSET_TYPES_BY_KIND = {
    "mortgage": ("real_estate", "land", "equipment", "vehicle"),
    "pledge": ("deposit", "receivable", "equity", "stock", "ip"),
    "guarantor": ("person", "enterprise"),
}


class GuaranteeCollateralHaircut(models.Model):
    """抵质押率: the share of the appraised value recognized for a type of asset."""

    _name = "guarantee.collateral.haircut"
    _description = "Counter-Guarantee Haircut"
    _order = "asset_type"
    _rec_name = "asset_type"

    asset_type = fields.Selection(ASSET_TYPES, required=True)
    haircut = fields.Float(
        string="Recognized Share (%)",
        digits=(16, 2),
        required=True,
        help="Share of the appraised value recognized as cover (抵质押率).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "asset_type_company_unique",
            "unique(asset_type, company_id)",
            "There is already a haircut for this asset type.",
        ),
    ]

    @api.model
    def _create_defaults(self, companies):
        """Give ``companies`` the default haircut of every asset type they lack."""
        existing = {
            (line.company_id.id, line.asset_type)
            for line in self.sudo().search([("company_id", "in", companies.ids)])
        }
        self.sudo().create(
            [
                {"company_id": company.id, "asset_type": asset_type, "haircut": haircut}
                for company in companies
                for asset_type, haircut in DEFAULT_HAIRCUTS.items()
                if (company.id, asset_type) not in existing
            ]
        )

    @api.model
    def _install_defaults(self):
        self._create_defaults(self.env["res.company"].search([]))

    @api.constrains("haircut")
    def _check_haircut(self):
        for line in self:
            if not 0 <= line.haircut <= 100:
                raise ValidationError(_("A haircut must be between 0% and 100%."))
