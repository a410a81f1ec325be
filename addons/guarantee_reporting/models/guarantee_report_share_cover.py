from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.guarantee_risk.models.guarantee_share_filing import FILING_STATES


class GuaranteeReportShareCover(models.Model):
    """The cover at stake on projects not (or not successfully) filed: its share of the
    outstanding principal, lost when the deadline passed unfiled or the filing was refused,
    at risk while the deadline is still ahead."""

    _name = "guarantee.report.share.cover"
    _description = "Cover Lost by Unfiled Projects"
    _auto = False
    _order = "date_deadline, id"
    _rec_name = "project_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    filing_id = fields.Many2one("guarantee.share.filing", readonly=True)
    project_id = fields.Many2one("guarantee.project", readonly=True)
    agreement_id = fields.Many2one("guarantee.share.agreement", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Sharing Party", readonly=True)
    state = fields.Selection(FILING_STATES, readonly=True)
    date_deadline = fields.Date(string="Deadline", readonly=True)
    status = fields.Selection(
        [("at_risk", "At Risk (deadline ahead)"), ("lost", "Lost")], readonly=True
    )
    share = fields.Float(string="Share (%)", readonly=True, aggregator=None)
    cover = fields.Monetary(string="Cover", readonly=True, currency_field="currency_id",
                            help="Its share of the project's outstanding principal.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE VIEW %s AS (
                SELECT filing.id,
                       filing.id AS filing_id,
                       filing.company_id,
                       company.currency_id,
                       filing.project_id,
                       filing.agreement_id,
                       filing.partner_id,
                       filing.state,
                       filing.date_deadline,
                       CASE WHEN filing.state = 'refused' OR filing.date_deadline < CURRENT_DATE
                            THEN 'lost' ELSE 'at_risk' END AS status,
                       line.share,
                       ROUND(project.outstanding_principal * line.share / 100, 2) AS cover
                  FROM guarantee_share_filing filing
                  JOIN res_company company ON company.id = filing.company_id
                  JOIN guarantee_project project ON project.id = filing.project_id
                  JOIN guarantee_project_share line
                    ON line.project_id = filing.project_id
                   AND line.agreement_id = filing.agreement_id
                 WHERE filing.state IN ('to_file', 'refused')
            )
            """,
            SQL.identifier(self._table),
        ))
