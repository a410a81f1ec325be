from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import create_index

from ..tools import regulatory

# One statement per run: the rows of ``date`` are replaced by the projects in force now, with
# their stored balance (own share) and liability balance (weighted by tools/regulatory.py in
# guarantee.project._compute_liability_balance), so a second run of the same day gives the same
# rows and a night that was run twice is not counted twice.
DELETE_ROWS = """
    DELETE FROM guarantee_balance_snapshot
     WHERE date = %(date)s AND company_id IN %(company_ids)s
"""
INSERT_ROWS = """
    INSERT INTO guarantee_balance_snapshot (
        date, project_id, company_id, currency_id, partner_id, business_type, state,
        risk_class, balance, liability_balance, product_id, creditor_id, manager_id,
        industry_id, region_id, city_id, create_uid, create_date, write_uid, write_date)
    SELECT %(date)s, project.id, project.company_id, project.currency_id, project.partner_id,
           project.business_type, project.state, project.risk_class,
           COALESCE(project.balance, 0), COALESCE(project.liability_balance, 0),
           project.product_id, project.creditor_id, project.manager_id, project.industry_id,
           project.region_id, project.city_id,
           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM guarantee_project project
     WHERE project.state = 'active'
       AND project.active
       AND project.company_id IN %(company_ids)s
"""
# A run is recorded per company even when nothing is in force, so that "the balance as of a
# date" of an empty portfolio is 0 and not an older day's figures.
UPSERT_RUN = """
    INSERT INTO guarantee_balance_snapshot_run (
        date, company_id, project_count, balance, liability_balance,
        create_uid, create_date, write_uid, write_date)
    SELECT %(date)s, company.id, COUNT(snapshot.id), COALESCE(SUM(snapshot.balance), 0),
           COALESCE(SUM(snapshot.liability_balance), 0),
           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM res_company company
 LEFT JOIN guarantee_balance_snapshot snapshot
        ON snapshot.company_id = company.id AND snapshot.date = %(date)s
     WHERE company.id IN %(company_ids)s
  GROUP BY company.id
    ON CONFLICT (date, company_id) DO UPDATE
       SET project_count = EXCLUDED.project_count,
           balance = EXCLUDED.balance,
           liability_balance = EXCLUDED.liability_balance,
           write_uid = EXCLUDED.write_uid,
           write_date = EXCLUDED.write_date
"""

# The projects in force on a past day, with the balance rebuilt from their history
# (guarantee.project._balance_on) and its weighted liability balance, as ids/amount arrays;
# the other columns are the projects' current ones (class, manager… are not versioned).
INSERT_HISTORY_ROWS = """
    INSERT INTO guarantee_balance_snapshot (
        date, project_id, company_id, currency_id, partner_id, business_type, state,
        risk_class, balance, liability_balance, product_id, creditor_id, manager_id,
        industry_id, region_id, city_id, create_uid, create_date, write_uid, write_date)
    SELECT %(date)s, project.id, project.company_id, project.currency_id, project.partner_id,
           project.business_type, 'active', project.risk_class, hist.balance, hist.liability,
           project.product_id, project.creditor_id, project.manager_id, project.industry_id,
           project.region_id, project.city_id,
           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM unnest(%(ids)s::int[], %(balances)s::numeric[], %(liabilities)s::numeric[])
           AS hist(project_id, balance, liability)
      JOIN guarantee_project project ON project.id = hist.project_id
"""
# What the regulatory weight of each project depends on: its type, its bond rating and its
# borrower (the applicant's commercial entity), whose loans in force are totalled by key.
WEIGHT_INPUTS = """
    SELECT project.id, project.company_id, project.business_type, project.issuer_rating,
           COALESCE(borrower.uscc, 'partner-' || borrower.id), borrower.enterprise_scale,
           borrower.is_company, borrower.is_agricultural
      FROM guarantee_project project
      JOIN res_partner applicant ON applicant.id = project.partner_id
      JOIN res_partner borrower ON borrower.id = applicant.commercial_partner_id
     WHERE project.id IN %(ids)s AND project.active
"""

PROJECT_FIELDS = [
    "state",
    "active",
    "company_id",
    "currency_id",
    "partner_id",
    "business_type",
    "risk_class",
    "balance",
    "liability_balance",
    "product_id",
    "creditor_id",
    "manager_id",
    "industry_id",
    "region_id",
    "city_id",
]


class GuaranteeBalanceSnapshot(models.Model):
    """每日在保余额快照: one row per project in force per day, as the nightly job found it.

    Reserves and reports read the portfolio as of a past date from here (the latest run on or
    before that date), never from today's project figures. Rows are written only by
    ``_take_snapshot`` in bulk SQL; nobody writes them through the ORM.
    """

    _name = "guarantee.balance.snapshot"
    _description = "Daily Balance Snapshot"
    _order = "date desc, id"
    _rec_name = "project_id"

    date = fields.Date(required=True, readonly=True, index=True)
    project_id = fields.Many2one(
        "guarantee.project", string="Project", required=True, readonly=True, index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Applicant", readonly=True, index=True, ondelete="restrict"
    )
    business_type = fields.Selection(
        lambda self: self.env["guarantee.product"]._fields["business_type"].selection,
        readonly=True,
        index=True,
    )
    state = fields.Selection(
        lambda self: self.env["guarantee.project"]._fields["state"].selection, readonly=True
    )
    risk_class = fields.Selection(
        lambda self: self.env["guarantee.project"]._fields["risk_class"].selection,
        readonly=True,
        index=True,
    )
    balance = fields.Monetary(
        string="Balance in Force", readonly=True, currency_field="currency_id",
        help="在保余额 at own share on that day.",
    )
    liability_balance = fields.Monetary(
        readonly=True, currency_field="currency_id",
        help="责任余额 (weighted by the regulatory rules) on that day.",
    )
    product_id = fields.Many2one("guarantee.product", readonly=True, index=True)
    creditor_id = fields.Many2one(
        "res.partner", string="Creditor (Bank)", readonly=True, index=True
    )
    manager_id = fields.Many2one(
        "res.users", string="A-Role (Lead Manager)", readonly=True, index=True
    )
    industry_id = fields.Many2one("res.partner.industry", readonly=True, index=True)
    region_id = fields.Many2one(
        "res.country.state", string="Province", readonly=True, index=True
    )
    city_id = fields.Many2one("res.city", readonly=True, index=True)

    _sql_constraints = [
        (
            "date_project_unique",
            "unique(date, project_id)",
            "A project has one balance snapshot per day.",
        ),
    ]

    def init(self):
        create_index(
            self.env.cr,
            "guarantee_balance_snapshot_company_date_index",
            self._table,
            ["company_id", "date"],
        )

    # ------------------------------------------------------------------ jobs

    @api.model
    def _cron_take_snapshot(self):
        self._take_snapshot(fields.Date.context_today(self))

    @api.model
    def _take_snapshot(self, date, companies=None):
        """Record the projects in force now as the portfolio of ``date``, for ``companies``
        (all companies by default), replacing any rows of that date: running it twice a day
        is harmless. Returns the runs written."""
        date = fields.Date.to_date(date)
        if date > fields.Date.context_today(self):
            raise UserError(_("A balance snapshot cannot be taken for a future date."))
        companies = companies or self.env["res.company"].sudo().search([])
        if not companies:
            return self.env["guarantee.balance.snapshot.run"]
        self.env["guarantee.project"].flush_model(PROJECT_FIELDS)
        self.flush_model()
        params = {
            "date": date,
            "company_ids": tuple(companies.ids),
            "uid": self.env.uid,
        }
        cr = self.env.cr
        cr.execute(DELETE_ROWS, params)
        cr.execute(INSERT_ROWS, params)
        cr.execute(UPSERT_RUN, params)
        self.env["guarantee.position.aggregate"].sudo()._write_day(date, companies)
        self.invalidate_model()
        Run = self.env["guarantee.balance.snapshot.run"].sudo()
        Run.invalidate_model()
        return Run.search([("date", "=", date), ("company_id", "in", companies.ids)])

    @api.model
    def _write_history(self, date, companies):
        """Rewrite the snapshot of the past day ``date`` for ``companies`` from the projects'
        own history (state log, loan release, dated repayments), not from today's figures,
        with its run totals and portfolio aggregates: back-filling a day the job missed or
        that came before the system (a ledger import, the demo)."""
        date = fields.Date.to_date(date)
        if date >= fields.Date.context_today(self):
            raise UserError(_("Only days before today can be rebuilt from history; today's "
                              "snapshot is taken by the daily job."))
        in_force = {
            project_id: balance
            for project_id, (state, balance) in self.env["guarantee.project"]
            ._balance_on(date, company_ids=companies.ids).items()
            if state == "active"
        }
        liabilities = self._historical_liabilities(in_force)
        self.flush_model()
        params = {
            "date": date,
            "company_ids": tuple(companies.ids),
            "uid": self.env.uid,
            "ids": list(liabilities),
            "balances": [in_force[project_id] for project_id in liabilities],
            "liabilities": list(liabilities.values()),
        }
        cr = self.env.cr
        cr.execute(DELETE_ROWS, params)
        cr.execute(INSERT_HISTORY_ROWS, params)
        cr.execute(UPSERT_RUN, params)
        self.env["guarantee.position.aggregate"].sudo()._write_day(date, companies)
        self.invalidate_model()
        self.env["guarantee.balance.snapshot.run"].invalidate_model()

    @api.model
    def _historical_liabilities(self, balances):
        """{project id: liability balance} of the active projects among ``balances`` ({project
        id: balance that day}), each weighted by the regulatory rules with its borrower's loans
        in force that same day (as guarantee.project._compute_liability_balance does today)."""
        if not balances:
            return {}
        self.env.cr.execute(WEIGHT_INPUTS, {"ids": tuple(balances)})
        inputs = self.env.cr.fetchall()
        loan_totals = {}
        for project_id, company_id, business_type, _rating, key, *_borrower in inputs:
            if business_type == "loan":
                loan_totals[company_id, key] = (
                    loan_totals.get((company_id, key), 0.0) + float(balances[project_id])
                )
        return {
            project_id: regulatory.weighted(
                float(balances[project_id]),
                regulatory.liability_weight(
                    business_type, loan_totals.get((company_id, key), 0.0), scale,
                    is_company, is_agricultural, rating,
                ),
            )
            for project_id, company_id, business_type, rating, key, scale, is_company,
            is_agricultural in inputs
        }

    # ------------------------------------------------------------------ reading

    @api.model
    def _snapshot_date(self, company, date):
        """The date of the latest snapshot of ``company`` on or before ``date``, or None."""
        run = (
            self.env["guarantee.balance.snapshot.run"]
            .sudo()
            .search(
                [("company_id", "=", company.id), ("date", "<=", date)], order="date desc", limit=1
            )
        )
        return run.date or None

    @api.model
    def _as_of(self, company, date, domain=None):
        """The snapshot rows of ``company`` as of ``date`` (the latest run on or before it)."""
        snapshot_date = self._snapshot_date(company, date)
        if not snapshot_date:
            return self.browse()
        return self.search(
            [("company_id", "=", company.id), ("date", "=", snapshot_date)] + (domain or [])
        )

    @api.model
    def _read_group_as_of(self, company, date, groupby, aggregates, domain=None):
        """``_read_group`` over the portfolio of ``company`` as of ``date``; raises a UserError
        when no snapshot was taken on or before that date, so a back-dated figure is never
        silently read from today's balances."""
        snapshot_date = self._snapshot_date(company, date)
        if not snapshot_date:
            raise UserError(
                _(
                    "No balance snapshot of %(company)s exists on or before %(date)s.",
                    company=company.display_name,
                    date=fields.Date.to_string(fields.Date.to_date(date)),
                )
            )
        return self._read_group(
            [("company_id", "=", company.id), ("date", "=", snapshot_date)] + (domain or []),
            groupby,
            aggregates,
        )

    @api.model
    def _balance_as_of(self, company, date, domain=None):
        """(balance, liability balance) of ``company``'s portfolio as of ``date``."""
        [(balance, liability)] = self._read_group_as_of(
            company, date, [], ["balance:sum", "liability_balance:sum"], domain
        )
        return balance or 0.0, liability or 0.0
