from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.guarantee_risk.models.guarantee_share_agreement import AGREEMENT_KINDS


class GuaranteeReportSharing(models.Model):
    """Exposure and compensation by sharing party, one row per agreement: what it covers in
    force today, what it was claimed after compensations, what it paid, what it still owes,
    and the recoveries shared back to it."""

    _name = "guarantee.report.sharing"
    _description = "Risk Sharing by Party"
    _auto = False
    _order = "company_id, partner_id, agreement_id"
    _rec_name = "agreement_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    agreement_id = fields.Many2one("guarantee.share.agreement", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Sharing Party", readonly=True)
    kind = fields.Selection(AGREEMENT_KINDS, readonly=True)
    share = fields.Float(string="Share (%)", readonly=True, aggregator=None)
    project_count = fields.Integer(string="Projects in Force", readonly=True)
    exposure = fields.Monetary(
        string="Exposure in Force", readonly=True, currency_field="currency_id",
        help="Its share of the outstanding principal of the covered projects in force.",
    )
    committed = fields.Monetary(
        string="Committed", readonly=True, currency_field="currency_id",
        help="Its share of the approved and contracted projects it covers.",
    )
    claimed = fields.Monetary(string="Compensation Claimed", readonly=True,
                              currency_field="currency_id")
    accepted = fields.Monetary(string="Claims Accepted", readonly=True,
                               currency_field="currency_id")
    paid = fields.Monetary(string="Claims Paid", readonly=True, currency_field="currency_id")
    outstanding = fields.Monetary(string="Claims Outstanding", readonly=True,
                                  currency_field="currency_id")
    returned = fields.Monetary(string="Recoveries Shared Back", readonly=True,
                               currency_field="currency_id")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE VIEW %s AS (
                SELECT agreement.id,
                       agreement.id AS agreement_id,
                       agreement.company_id,
                       company.currency_id,
                       agreement.partner_id,
                       agreement.kind,
                       agreement.share,
                       COALESCE(cover.project_count, 0) AS project_count,
                       COALESCE(cover.exposure, 0) AS exposure,
                       COALESCE(cover.committed, 0) AS committed,
                       COALESCE(claim.claimed, 0) AS claimed,
                       COALESCE(claim.accepted, 0) AS accepted,
                       COALESCE(claim.paid, 0) AS paid,
                       COALESCE(claim.outstanding, 0) AS outstanding,
                       COALESCE(back.returned, 0) AS returned
                  FROM guarantee_share_agreement agreement
                  JOIN res_company company ON company.id = agreement.company_id
             LEFT JOIN (
                    SELECT line.agreement_id,
                           COUNT(*) FILTER (WHERE project.state = 'active') AS project_count,
                           SUM(ROUND(project.outstanding_principal * line.share / 100, 2))
                               FILTER (WHERE project.state = 'active') AS exposure,
                           SUM(line.covered_amount)
                               FILTER (WHERE project.state IN ('approved', 'contracted'))
                               AS committed
                      FROM guarantee_project_share line
                      JOIN guarantee_project project ON project.id = line.project_id
                     WHERE line.covered
                  GROUP BY line.agreement_id
                   ) cover ON cover.agreement_id = agreement.id
             LEFT JOIN (
                    SELECT agreement_id,
                           SUM(amount) FILTER (WHERE state != 'draft') AS claimed,
                           SUM(amount_accepted) AS accepted,
                           SUM(amount_paid) AS paid,
                           SUM(CASE WHEN state IN ('sent') THEN amount
                                    WHEN state = 'accepted' THEN amount_open
                                    ELSE 0 END) AS outstanding
                      FROM guarantee_share_claim
                  GROUP BY agreement_id
                   ) claim ON claim.agreement_id = agreement.id
             LEFT JOIN (
                    SELECT agreement_id, SUM(amount) AS returned
                      FROM guarantee_share_return
                     WHERE state != 'cancelled'
                  GROUP BY agreement_id
                   ) back ON back.agreement_id = agreement.id
            )
            """,
            SQL.identifier(self._table),
        ))
