from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.guarantee_base.models.guarantee_product import BUSINESS_TYPES
from odoo.addons.guarantee_base.models.guarantee_project import RISK_CLASSES

FLOW_KINDS = [
    ("new", "New guarantees"),
    ("released", "Released guarantees"),
    ("compensation", "Compensation paid"),
    ("recovery", "Recovered"),
    ("loss", "Written off"),
]


class GuaranteeReportFlow(models.Model):
    """What happened in a period, one row per event: new and released guarantees (at own
    share), compensation paid, recoveries and losses posted, for pivot and graph views."""

    _name = "guarantee.report.flow"
    _description = "Guarantee Flows Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "project_id"

    date = fields.Date(readonly=True)
    month = fields.Date(readonly=True)
    kind = fields.Selection(FLOW_KINDS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    project_id = fields.Many2one("guarantee.project", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("guarantee.product", readonly=True)
    business_type = fields.Selection(BUSINESS_TYPES, readonly=True)
    industry_id = fields.Many2one("res.partner.industry", string="Industry Division", readonly=True)
    industry_section_id = fields.Many2one(
        "res.partner.industry", string="Industry Section", readonly=True
    )
    region_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    city_id = fields.Many2one("res.city", readonly=True)
    creditor_id = fields.Many2one("res.partner", string="Bank", readonly=True)
    manager_id = fields.Many2one("res.users", string="Project Manager", readonly=True)
    risk_class = fields.Selection(RISK_CLASSES, readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        own_share = SQL(
            "ROUND(project.loan_amount_released * project.own_share::numeric / 100, 2)"
        )
        self.env.cr.execute(SQL(
            """
            CREATE VIEW %(table)s AS (
                WITH events AS (
                    SELECT project.id * 10 + 1 AS id, project.id AS project_id, 'new' AS kind,
                           project.loan_release_date AS date, %(own_share)s AS amount
                      FROM guarantee_project project
                     WHERE project.loan_release_date IS NOT NULL
                       AND project.state NOT IN ('cancelled', 'rejected')
                    UNION ALL
                    SELECT project.id * 10 + 2, project.id, 'released', project.date_released,
                           %(own_share)s
                      FROM guarantee_project project
                     WHERE project.date_released IS NOT NULL
                    UNION ALL
                    SELECT comp.id * 10 + 3, comp.project_id, 'compensation', comp.date_paid,
                           comp.total
                      FROM guarantee_compensation comp
                     WHERE comp.state = 'paid'
                    UNION ALL
                    SELECT rec.id * 10 + 4, rec.project_id, 'recovery', rec.date, rec.amount
                      FROM guarantee_recovery rec
                     WHERE rec.state = 'posted'
                    UNION ALL
                    SELECT loss.id * 10 + 5, loss.project_id, 'loss', loss.date, loss.amount
                      FROM guarantee_loss loss
                     WHERE loss.state = 'posted'
                )
                SELECT events.id,
                       events.date,
                       date_trunc('month', events.date)::date AS month,
                       events.kind,
                       project.company_id,
                       company.currency_id,
                       events.project_id,
                       project.partner_id,
                       project.product_id,
                       project.business_type,
                       project.industry_id,
                       COALESCE(industry.parent_id, industry.id) AS industry_section_id,
                       project.region_id,
                       project.city_id,
                       project.creditor_id,
                       project.manager_id,
                       project.risk_class,
                       events.amount
                  FROM events
                  JOIN guarantee_project project ON project.id = events.project_id
                  JOIN res_company company ON company.id = project.company_id
             LEFT JOIN res_partner_industry industry ON industry.id = project.industry_id
            )
            """,
            table=SQL.identifier(self._table), own_share=own_share,
        ))
