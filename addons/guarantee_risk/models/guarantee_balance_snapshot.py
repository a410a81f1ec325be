from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import create_index

from ..tools import regulatory

# A row says what a project in force looked like from ``date_from`` (included) to ``date_to``
# (excluded; empty: still so). Both are days a snapshot was taken for its company: a run
# closes a row and opens a new one only for the projects whose figures changed since the
# previous run, so the rows of a day are "the rows valid on it" and a night without changes
# writes no row. The SQL condition of "valid on" a date, for a table alias and a parameter.
VALID_ON = (
    "{alias}.date_from <= {date} AND ({alias}.date_to IS NULL OR {alias}.date_to > {date})"
)


def valid_on(alias="snap", date="%(date)s"):
    """SQL condition: the rows of ``alias`` valid on the date of parameter ``date``."""
    return VALID_ON.format(alias=alias, date=date)


# What a row records of its project, in the order the SQL below reads and writes them.
VALUES = (
    "company_id", "currency_id", "partner_id", "business_type", "state", "risk_class",
    "balance", "liability_balance", "product_id", "creditor_id", "manager_id", "industry_id",
    "region_id", "city_id",
)
_VALUES = ", ".join(VALUES)
_AUDIT = "%(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'"


def _row(alias):
    return "(" + ", ".join(f"{alias}.{name}" for name in VALUES) + ")"


def _select(alias):
    return ", ".join(f"{alias}.{name}" for name in VALUES)


# One statement per run and company set, ``{source}`` being the projects in force on
# ``date`` with their figures (today's, or rebuilt from history for a past day). Compared
# with the rows valid on that day (one full join; ``diff`` keeps only what differs):
# - a project whose figures are the same keeps its row (nothing is written);
# - a row that no longer holds (project changed, or no longer in force) is closed on the day
#   (deleted when it started that day: a second run of the day replaces the first); when a
#   later run exists (a back-dated day), the part of that row from the next run on is
#   written again, so the later days read what their own runs found;
# - a project new or changed gets a row from the day to the next run (or open).
# The sub-statements see the table as it was before the statement; the unique key (project,
# company, start) is checked at its end (deferrable), when the replaced rows are gone.
WRITE_DAY = f"""
    WITH next_run AS (
        SELECT company.id AS company_id,
               (SELECT MIN(run.date) FROM guarantee_balance_snapshot_run run
                 WHERE run.company_id = company.id AND run.date > %(date)s) AS date
          FROM res_company company
         WHERE company.id IN %(company_ids)s
    ), diff AS MATERIALIZED (
        SELECT old.id AS old_id, new.*
          FROM (SELECT snap.* FROM guarantee_balance_snapshot snap
                 WHERE snap.company_id IN %(company_ids)s AND {valid_on()}) old
     FULL JOIN ({{source}}) new ON new.project_id = old.project_id
         WHERE old.id IS NULL OR new.project_id IS NULL
            OR {_row("new")} IS DISTINCT FROM {_row("old")}
    ), resumed AS (
        INSERT INTO guarantee_balance_snapshot (
            project_id, {_VALUES}, date_from, date_to,
            create_uid, create_date, write_uid, write_date)
        SELECT snap.project_id, {_select("snap")}, next_run.date, snap.date_to, {_AUDIT}
          FROM diff
          JOIN guarantee_balance_snapshot snap ON snap.id = diff.old_id
          JOIN next_run ON next_run.company_id = snap.company_id
         WHERE next_run.date IS NOT NULL
           AND (snap.date_to IS NULL OR snap.date_to > next_run.date)
        RETURNING 1
    ), closed AS (
        UPDATE guarantee_balance_snapshot snap
           SET date_to = %(date)s, write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
          FROM diff
         WHERE snap.id = diff.old_id AND snap.date_from < %(date)s
        RETURNING 1
    ), replaced AS (
        DELETE FROM guarantee_balance_snapshot snap USING diff
         WHERE snap.id = diff.old_id AND snap.date_from = %(date)s
        RETURNING 1
    ), opened AS (
        INSERT INTO guarantee_balance_snapshot (
            project_id, {_VALUES}, date_from, date_to,
            create_uid, create_date, write_uid, write_date)
        SELECT diff.project_id, {_select("diff")}, %(date)s, next_run.date, {_AUDIT}
          FROM diff JOIN next_run ON next_run.company_id = diff.company_id
         WHERE diff.project_id IS NOT NULL
        RETURNING 1
    )
    SELECT (SELECT COUNT(*) FROM closed), (SELECT COUNT(*) FROM replaced),
           (SELECT COUNT(*) FROM resumed), (SELECT COUNT(*) FROM opened)
"""
# The projects in force now, with their stored balance (own share) and liability balance
# (weighted by tools/regulatory.py in guarantee.project._compute_liability_balance).
LIVE_SOURCE = """
    SELECT project.id AS project_id, project.company_id, project.currency_id,
           project.partner_id, project.business_type, project.state, project.risk_class,
           COALESCE(project.balance, 0)::numeric AS balance,
           COALESCE(project.liability_balance, 0)::numeric AS liability_balance,
           project.product_id, project.creditor_id, project.manager_id, project.industry_id,
           project.region_id, project.city_id
      FROM guarantee_project project
     WHERE project.state = 'active'
       AND project.active
       AND project.company_id IN %(company_ids)s
"""
# A run is recorded per company even when nothing is in force, so that "the balance as of a
# date" of an empty portfolio is 0 and not an older day's figures.
UPSERT_RUN = f"""
    INSERT INTO guarantee_balance_snapshot_run (
        date, company_id, project_count, balance, liability_balance,
        create_uid, create_date, write_uid, write_date)
    SELECT %(date)s, company.id, COUNT(snap.id), COALESCE(SUM(snap.balance), 0),
           COALESCE(SUM(snap.liability_balance), 0), {_AUDIT}
      FROM res_company company
 LEFT JOIN guarantee_balance_snapshot snap
        ON snap.company_id = company.id AND {valid_on()}
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
HISTORY_SOURCE = """
    SELECT project.id AS project_id, project.company_id, project.currency_id,
           project.partner_id, project.business_type, 'active'::varchar AS state,
           project.risk_class, hist.balance, hist.liability AS liability_balance,
           project.product_id, project.creditor_id, project.manager_id, project.industry_id,
           project.region_id, project.city_id
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
    """每日在保余额快照: a project in force with its figures, valid from the day of the run
    that found it so to the day of the run that found it changed (or out of force).

    The portfolio of a day is the rows valid on it (``_valid_on_domain``, ``valid_on`` in
    SQL), which are those of the latest run on or before it. Reserves and reports read the
    portfolio as of a past date from here, never from today's project figures. Rows are
    written only by ``_take_snapshot`` and ``_write_history`` in bulk SQL; nobody writes them
    through the ORM.
    """

    _name = "guarantee.balance.snapshot"
    _description = "Daily Balance Snapshot"
    _order = "date_from desc, id"
    _rec_name = "project_id"

    date_from = fields.Date(
        string="Valid From", required=True, readonly=True,
        help="The day of the snapshot run that found the project with these figures.",
    )
    date_to = fields.Date(
        string="Valid Until", readonly=True,
        help="The day of the run that found them changed (excluded); empty: still valid.",
    )
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

    # checked at the end of a statement: a run replaces a row of its day in one statement
    _sql_constraints = [
        (
            "project_company_from_unique",
            "unique(project_id, company_id, date_from) DEFERRABLE INITIALLY IMMEDIATE",
            "A project has one balance snapshot row starting on a given day.",
        ),
    ]

    def init(self):
        # "valid on D": the open rows (the portfolio of the latest run and of the days read
        # most) and the rows closed after D (few for a recent D), or those started by D.
        create_index(
            self.env.cr, "guarantee_balance_snapshot_open_index", self._table,
            ["company_id", "date_from"], where="date_to IS NULL",
        )
        create_index(
            self.env.cr, "guarantee_balance_snapshot_closed_index", self._table,
            ["company_id", "date_to"], where="date_to IS NOT NULL",
        )
        create_index(
            self.env.cr, "guarantee_balance_snapshot_company_from_index", self._table,
            ["company_id", "date_from"],
        )

    # ------------------------------------------------------------------ jobs

    @api.model
    def _cron_take_snapshot(self):
        self._take_snapshot(fields.Date.context_today(self))

    @api.model
    def _take_snapshot(self, date, companies=None):
        """Record the projects in force now as the portfolio of ``date``, for ``companies``
        (all companies by default): rows are closed and opened only for the projects whose
        figures changed since the rows valid on that day; running it twice a day is harmless.
        Returns the runs written."""
        date = fields.Date.to_date(date)
        if date > fields.Date.context_today(self):
            raise UserError(_("A balance snapshot cannot be taken for a future date."))
        companies = companies or self.env["res.company"].sudo().search([])
        if not companies:
            return self.env["guarantee.balance.snapshot.run"]
        self.env["guarantee.project"].flush_model(PROJECT_FIELDS)
        self._write_rows(date, companies, LIVE_SOURCE, {})
        Run = self.env["guarantee.balance.snapshot.run"].sudo()
        return Run.search([("date", "=", date), ("company_id", "in", companies.ids)])

    @api.model
    def _write_rows(self, date, companies, source, params):
        """The rows valid on ``date`` made those of ``source`` (one SQL statement, writing
        only what differs), the day's run totals and its portfolio aggregates. Returns the
        number of rows (closed, replaced, resumed after the day, opened)."""
        self.flush_model()
        self.env["guarantee.balance.snapshot.run"].flush_model()
        params = dict(params, date=date, company_ids=tuple(companies.ids), uid=self.env.uid)
        cr = self.env.cr
        # the statement's estimated cost (two full joins, estimated before the comparison
        # removes nearly every row) makes PostgreSQL compile it (JIT): 3.7 s of 4.9 s at 100k
        # projects for a statement that runs in 1 s
        cr.execute("SET LOCAL jit = off")
        cr.execute(WRITE_DAY.format(source=source), params)
        written = cr.fetchone()
        cr.execute("SET LOCAL jit TO DEFAULT")
        cr.execute(UPSERT_RUN, params)
        self.env["guarantee.position.aggregate"].sudo()._write_day(date, companies)
        self.invalidate_model()
        self.env["guarantee.balance.snapshot.run"].invalidate_model()
        return written

    @api.model
    def _write_history(self, date, companies):
        """Rewrite the snapshot of the past day ``date`` for ``companies`` from the projects'
        own history (state log, loan release, dated repayments), not from today's figures,
        with its run totals and portfolio aggregates: back-filling a day the job missed or
        that came before the system (a ledger import, the demo). The days after it keep what
        their own runs found."""
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
        self._write_rows(date, companies, HISTORY_SOURCE, {
            "ids": list(liabilities),
            "balances": [in_force[project_id] for project_id in liabilities],
            "liabilities": list(liabilities.values()),
        })

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
    def _valid_on_domain(self, date):
        """Domain of the rows valid on ``date``: the portfolio of the latest run on or before
        it (of each company)."""
        date = fields.Date.to_string(fields.Date.to_date(date))
        return [("date_from", "<=", date), "|", ("date_to", "=", False), ("date_to", ">", date)]

    @api.model
    def _as_of(self, company, date, domain=None):
        """The snapshot rows of ``company`` as of ``date`` (the latest run on or before it)."""
        snapshot_date = self._snapshot_date(company, date)
        if not snapshot_date:
            return self.browse()
        return self.search(
            [("company_id", "=", company.id)] + self._valid_on_domain(snapshot_date)
            + (domain or [])
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
            [("company_id", "=", company.id)] + self._valid_on_domain(snapshot_date)
            + (domain or []),
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
