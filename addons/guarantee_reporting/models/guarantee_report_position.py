from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.guarantee_base.models.guarantee_product import BUSINESS_TYPES
from odoo.addons.guarantee_base.models.guarantee_project import RISK_CLASSES
from odoo.addons.guarantee_risk.models.guarantee_balance_snapshot import valid_on

from .guarantee_report_figures import NPL_CLASSES, WEIGHT_CATEGORIES, WEIGHT_CATEGORY_SQL


class GuaranteeReportPosition(models.Model):
    """Balances per project and day, from the daily snapshot, for pivot and graph views: a
    line per snapshot run and project row valid on its day (rows are validity ranges).

    Summing over several days counts a project once per day: the views filter on the latest
    snapshot, or on month ends for trends.
    """

    _name = "guarantee.report.position"
    _description = "Guarantee Balances Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "project_id"

    date = fields.Date(readonly=True)
    month = fields.Date(readonly=True)
    is_latest = fields.Boolean(string="Latest Snapshot", readonly=True)
    is_month_end = fields.Boolean(string="Month End", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    project_id = fields.Many2one("guarantee.project", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("guarantee.product", readonly=True)
    business_type = fields.Selection(BUSINESS_TYPES, readonly=True)
    weight_category = fields.Selection(
        [(key, label) for key, label, _weight in WEIGHT_CATEGORIES]
        + [("non_financing", "Non-financing guarantees")],
        readonly=True,
    )
    industry_id = fields.Many2one("res.partner.industry", string="Industry Division", readonly=True)
    industry_section_id = fields.Many2one(
        "res.partner.industry", string="Industry Section", readonly=True
    )
    region_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    city_id = fields.Many2one("res.city", readonly=True)
    creditor_id = fields.Many2one("res.partner", string="Bank", readonly=True)
    manager_id = fields.Many2one("res.users", string="Project Manager", readonly=True)
    risk_class = fields.Selection(RISK_CLASSES, readonly=True)
    balance = fields.Monetary(readonly=True, currency_field="currency_id")
    liability_balance = fields.Monetary(readonly=True, currency_field="currency_id")
    npl_balance = fields.Monetary(
        string="Non-performing Balance", readonly=True, currency_field="currency_id"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE VIEW %s AS (
                WITH run AS (
                    SELECT run.company_id, run.date,
                           run.date - DATE '2000-01-01' AS day_number,
                           run.date = MAX(run.date) OVER (PARTITION BY run.company_id)
                               AS is_latest,
                           run.date = MAX(run.date) OVER (
                               PARTITION BY run.company_id, date_trunc('month', run.date)
                           ) AS is_month_end
                      FROM guarantee_balance_snapshot_run run
                )
                -- one line per row and day: the row's id and the day make its id
                SELECT pos.id::bigint * 100000 + run.day_number AS id,
                       run.date,
                       date_trunc('month', run.date)::date AS month,
                       run.is_latest,
                       run.is_month_end,
                       pos.company_id,
                       company.currency_id,
                       pos.project_id,
                       pos.partner_id,
                       pos.product_id,
                       pos.business_type,
                       %s AS weight_category,
                       pos.industry_id,
                       COALESCE(industry.parent_id, industry.id) AS industry_section_id,
                       pos.region_id,
                       pos.city_id,
                       pos.creditor_id,
                       pos.manager_id,
                       pos.risk_class,
                       pos.balance,
                       pos.liability_balance,
                       CASE WHEN pos.risk_class IN %s THEN pos.balance ELSE 0 END
                           AS npl_balance
                  FROM run
                  JOIN guarantee_balance_snapshot pos
                    ON pos.company_id = run.company_id AND %s
                  JOIN res_company company ON company.id = pos.company_id
             LEFT JOIN res_partner_industry industry ON industry.id = pos.industry_id
            )
            """,
            SQL.identifier(self._table), SQL(WEIGHT_CATEGORY_SQL), NPL_CLASSES,
            SQL(valid_on("pos", "run.date")),
        ))
