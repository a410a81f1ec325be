from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.guarantee_accounting.models.guarantee_share_claim import CLAIM_STATES

AGE_BUCKETS = [
    ("0_30", "0–30 days"),
    ("31_90", "31–90 days"),
    ("91_180", "91–180 days"),
    ("181_365", "181–365 days"),
    ("over_365", "Over a year"),
]


class GuaranteeReportShareClaimAge(models.Model):
    """Claims not yet settled and their age, counted from the compensation they follow."""

    _name = "guarantee.report.share.claim.age"
    _description = "Outstanding Risk-Sharing Claims by Age"
    _auto = False
    _order = "age_days desc, id"
    _rec_name = "claim_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    claim_id = fields.Many2one("guarantee.share.claim", readonly=True)
    project_id = fields.Many2one("guarantee.project", readonly=True)
    agreement_id = fields.Many2one("guarantee.share.agreement", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Sharing Party", readonly=True)
    state = fields.Selection(CLAIM_STATES, readonly=True)
    date_compensation = fields.Date(string="Compensated On", readonly=True)
    date_deadline = fields.Date(string="Claim Deadline", readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    outstanding = fields.Monetary(readonly=True, currency_field="currency_id")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE VIEW %s AS (
                SELECT claim.id,
                       claim.id AS claim_id,
                       claim.company_id,
                       claim.currency_id,
                       claim.project_id,
                       claim.agreement_id,
                       claim.partner_id,
                       claim.state,
                       claim.date_compensation,
                       claim.date_deadline,
                       CURRENT_DATE - claim.date_compensation AS age_days,
                       CASE WHEN CURRENT_DATE - claim.date_compensation <= 30 THEN '0_30'
                            WHEN CURRENT_DATE - claim.date_compensation <= 90 THEN '31_90'
                            WHEN CURRENT_DATE - claim.date_compensation <= 180 THEN '91_180'
                            WHEN CURRENT_DATE - claim.date_compensation <= 365 THEN '181_365'
                            ELSE 'over_365' END AS age_bucket,
                       CASE WHEN claim.state = 'accepted' THEN claim.amount_open
                            ELSE claim.amount END AS outstanding
                  FROM guarantee_share_claim claim
                 WHERE claim.state IN ('draft', 'sent', 'accepted')
            )
            """,
            SQL.identifier(self._table),
        ))
