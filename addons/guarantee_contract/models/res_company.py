from odoo import fields, models

from ..tools.fee_schedule import DAY_COUNT_BASES


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_fee_day_count = fields.Selection(
        DAY_COUNT_BASES,
        string="Fee Day-Count Basis",
        default="365",
        required=True,
        help="How guarantee fees count the days of a period: actual days over 360, over 365, "
        "or over the actual length of each calendar year.",
    )
