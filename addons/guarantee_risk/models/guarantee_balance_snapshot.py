from odoo import api, fields, models

from odoo.addons.guarantee_base.models.guarantee_product import BUSINESS_TYPES
from odoo.addons.guarantee_base.models.guarantee_project import PROJECT_STATES, RISK_CLASSES

# One row per project in force, copied from the projects in one statement (no ORM per project).
SNAPSHOT_INSERT = """
    INSERT INTO guarantee_balance_snapshot (
        date, project_id, company_id, partner_id, business_type, state, risk_class, balance,
        liability_balance, product_id, creditor_id, manager_id, industry_id, region_id, city_id,
        create_uid, write_uid, create_date, write_date)
    SELECT %(date)s, project.id, project.company_id, project.partner_id, project.business_type,
           project.state, project.risk_class, project.balance,
           COALESCE(project.liability_balance, 0), project.product_id, project.creditor_id,
           project.manager_id, project.industry_id, project.region_id, project.city_id,
           %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
      FROM guarantee_project project
     WHERE project.state = 'active' AND project.active
"""


class GuaranteeBalanceSnapshot(models.Model):
    """The balance of every project in force at the end of a day: the past as it was, for
    reports on any date (a project released since still counts on the earlier date)."""

    _name = "guarantee.balance.snapshot"
    _description = "Daily Balance Snapshot"
    _order = "date desc, project_id"

    date = fields.Date(required=True, index=True, readonly=True)
    project_id = fields.Many2one(
        "guarantee.project", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", index=True, readonly=True)
    business_type = fields.Selection(BUSINESS_TYPES, readonly=True, index=True)
    state = fields.Selection(PROJECT_STATES, readonly=True)
    risk_class = fields.Selection(RISK_CLASSES, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(readonly=True, currency_field="currency_id")
    liability_balance = fields.Monetary(readonly=True, currency_field="currency_id")
    product_id = fields.Many2one("guarantee.product", readonly=True, index=True)
    creditor_id = fields.Many2one("res.partner", readonly=True)
    manager_id = fields.Many2one("res.users", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    city_id = fields.Many2one("res.city", readonly=True)

    _sql_constraints = [
        ("date_project_unique", "unique(date, project_id)",
         "A project has one snapshot per day."),
    ]

    @api.model
    def _take_snapshot(self, date):
        """Record the balances of ``date`` from the projects in force now, replacing what
        an earlier run of the same day recorded."""
        self.env["guarantee.project"].flush_model()
        self.env.cr.execute("DELETE FROM guarantee_balance_snapshot WHERE date = %s", (date,))
        self.env.cr.execute(SNAPSHOT_INSERT, {"date": date, "uid": self.env.uid})
        self.invalidate_model()

    @api.model
    def _cron_take_snapshot(self):
        self._take_snapshot(fields.Date.context_today(self))
