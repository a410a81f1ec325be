import logging

from odoo import _, api, fields, models

from ..tools import regulatory
from .guarantee_balance_snapshot import valid_on

_logger = logging.getLogger(__name__)

# The dimensions of an aggregate row, in the order the SQL below reads and writes them.
DIMENSIONS = (
    "company_id", "product_id", "manager_id", "business_type", "weight_category",
    "region_id", "city_id", "industry_section_id", "risk_class",
)
MEASURES = ("project_count", "balance", "liability_balance")
# The project fields whose change moves a project's aggregate row (dimensions and amounts).
POSITION_FIELDS = {
    "state", "active", "company_id", "product_id", "manager_id", "business_type", "risk_class",
    "region_id", "city_id", "industry_id", "balance", "liability_balance", "partner_id",
}
# The regulator's weight category of a row of the portfolio ``pos`` (tools/regulatory.py).
WEIGHT_CATEGORY_SQL = regulatory.reported_weight_category_sql("pos")
# One row per project in force now, with its dimensions; ``where`` narrows the projects.
LIVE_PROJECTS = f"""
    SELECT pos.*, {WEIGHT_CATEGORY_SQL} AS weight_category
      FROM (SELECT project.id AS project_id, project.company_id, project.product_id,
                   project.manager_id, project.business_type, project.region_id,
                   project.city_id, COALESCE(industry.parent_id, industry.id)
                   AS industry_section_id, project.risk_class,
                   COALESCE(project.balance, 0) AS balance,
                   COALESCE(project.liability_balance, 0) AS liability_balance
              FROM guarantee_project project
         LEFT JOIN res_partner_industry industry ON industry.id = project.industry_id
             WHERE project.state = 'active' AND project.active {{where}}) pos
"""
# The snapshot rows valid on one date (a run's), with the same dimensions.
SNAPSHOT_PROJECTS = f"""
    SELECT pos.*, {WEIGHT_CATEGORY_SQL} AS weight_category
      FROM (SELECT snap.project_id, snap.company_id, snap.product_id, snap.manager_id,
                   snap.business_type, snap.region_id, snap.city_id,
                   COALESCE(industry.parent_id, industry.id) AS industry_section_id,
                   snap.risk_class, COALESCE(snap.balance, 0) AS balance,
                   COALESCE(snap.liability_balance, 0) AS liability_balance
              FROM guarantee_balance_snapshot snap
         LEFT JOIN res_partner_industry industry ON industry.id = snap.industry_id
             WHERE {valid_on()} AND snap.company_id IN %(company_ids)s) pos
"""
_DIMS = ", ".join(DIMENSIONS)
_KEY = ", ".join(("date",) + DIMENSIONS)
_AUDIT = "%(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'"
_AUDIT_COLUMNS = "create_uid, create_date, write_uid, write_date"
INSERT_GROUPED = f"""
    INSERT INTO guarantee_position_aggregate ({_KEY}, {", ".join(MEASURES)}, {_AUDIT_COLUMNS})
    SELECT %(date)s::date, {_DIMS}, COUNT(*), SUM(balance), SUM(liability_balance), {_AUDIT}
      FROM ({{source}}) src
  GROUP BY {_DIMS}
"""
# Today's rows moved by the difference between what the projects of ``ids`` contribute now
# and what they contributed at the last change (kept in guarantee_position_live).
MOVE_LIVE = f"""
    WITH delta AS (
        SELECT {_DIMS}, SUM(n) AS n, SUM(balance) AS balance,
               SUM(liability_balance) AS liability_balance
          FROM (SELECT {_DIMS}, 1 AS n, balance, liability_balance FROM ({LIVE_PROJECTS}) now
                 UNION ALL
                SELECT {_DIMS}, -1, -balance, -liability_balance
                  FROM guarantee_position_live WHERE project_id = ANY(%(ids)s::int[])) rows
      GROUP BY {_DIMS}
        HAVING SUM(n) != 0 OR SUM(balance) != 0 OR SUM(liability_balance) != 0
    )
    INSERT INTO guarantee_position_aggregate ({_KEY}, {", ".join(MEASURES)}, {_AUDIT_COLUMNS})
    SELECT NULL, {_DIMS}, n, balance, liability_balance, {_AUDIT} FROM delta
    ON CONFLICT ({_KEY}) DO UPDATE
       SET project_count = guarantee_position_aggregate.project_count + EXCLUDED.project_count,
           balance = guarantee_position_aggregate.balance + EXCLUDED.balance,
           liability_balance = guarantee_position_aggregate.liability_balance
                               + EXCLUDED.liability_balance,
           write_uid = EXCLUDED.write_uid,
           write_date = EXCLUDED.write_date
"""
INSERT_LIVE = f"""
    INSERT INTO guarantee_position_live (project_id, {_DIMS}, balance, liability_balance,
                                         {_AUDIT_COLUMNS})
    SELECT project_id, {_DIMS}, balance, liability_balance, {_AUDIT} FROM ({LIVE_PROJECTS}) now
"""
STORED_ROWS = f"""
    SELECT {_DIMS}, {", ".join(MEASURES)} FROM guarantee_position_aggregate
     WHERE date IS NOT DISTINCT FROM %(date)s::date AND company_id IN %(company_ids)s
"""
EXPECTED_ROWS = f"""
    SELECT {_DIMS}, COUNT(*), SUM(balance), SUM(liability_balance)
      FROM ({{source}}) src
  GROUP BY {_DIMS}
"""


class GuaranteePositionAggregate(models.Model):
    """The portfolio's figures per company and day, by every dimension the dashboard, the
    monthly indicators and the trend group by (product, A-role, business type, weight category,
    province, city, industry section, five-level class): project count, balance in force and
    liability balance.

    Rows with a date are written by the daily snapshot job from that day's snapshot; the rows
    without a date are today's, moved in the transaction of every change of a project
    (``guarantee.project._write``: balance, state, class, product, manager, region…), so that
    today's figures are exact; both are verified nightly against a full recomputation
    (``_cron_verify``). Reading them costs the number of rows, not of projects. Written by SQL
    only: nobody edits it.
    """

    _name = "guarantee.position.aggregate"
    _description = "Portfolio Aggregate"
    _order = "date desc, company_id"

    date = fields.Date(readonly=True, index=True, help="Empty: today, kept up to date.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    product_id = fields.Many2one("guarantee.product", readonly=True)
    manager_id = fields.Many2one("res.users", string="A-Role (Lead Manager)", readonly=True)
    business_type = fields.Selection(
        lambda self: self.env["guarantee.product"]._fields["business_type"].selection,
        readonly=True,
    )
    weight_category = fields.Selection(
        [
            ("loan_75", "Loan, 75%"),
            ("loan_100", "Loan, 100%"),
            ("bond_80", "Bond, 80%"),
            ("bond_100", "Bond, 100%"),
            ("other_100", "Other Financing, 100%"),
            ("housing_30", "Housing, 30%"),
            ("non_financing", "Non-Financing"),
        ],
        readonly=True,
    )
    region_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    city_id = fields.Many2one("res.city", readonly=True)
    industry_section_id = fields.Many2one("res.partner.industry", readonly=True)
    risk_class = fields.Selection(
        lambda self: self.env["guarantee.project"]._fields["risk_class"].selection,
        readonly=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    project_count = fields.Integer(string="Projects in Force", readonly=True)
    balance = fields.Monetary(string="Balance in Force", readonly=True)
    liability_balance = fields.Monetary(readonly=True)

    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS guarantee_position_aggregate_key_uniq "
            "ON guarantee_position_aggregate (date, company_id, product_id, manager_id, "
            "business_type, weight_category, region_id, city_id, industry_section_id, "
            "risk_class) NULLS NOT DISTINCT"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_position_aggregate_company_date_idx "
            "ON guarantee_position_aggregate (company_id, date)"
        )

    @api.model
    def _rebuild_all(self):
        """Today's rows and those of every snapshot day, from scratch: after the addon is
        installed or updated (not in `init()`, which runs before the project's risk columns
        exist, and before the demo projects that other addons' data create)."""
        self._rebuild_live()
        self.env.cr.execute("SELECT DISTINCT date FROM guarantee_balance_snapshot_run")
        companies = self.env["res.company"].sudo().search([])
        for (date,) in self.env.cr.fetchall():
            self._write_day(date, companies)

    # ------------------------------------------------------------------ upkeep

    @api.model
    def _refresh_projects(self, project_ids, removed=False, partners_before=()):
        """Move today's rows by what ``project_ids`` contribute now minus what they
        contributed before (``removed``: they are being deleted and contribute nothing), and
        recompute today's rows of their borrowers and groups (``partners_before``: their
        applicants before a change of applicant)."""
        if not project_ids:
            return set()
        cr = self.env.cr
        params = {"ids": list(project_ids), "uid": self.env.uid}
        cr.execute("SELECT DISTINCT partner_id FROM guarantee_project WHERE id = ANY(%(ids)s)",
                   params)
        partners = {row[0] for row in cr.fetchall() if row[0]} | set(partners_before)
        where = "AND FALSE" if removed else "AND project.id = ANY(%(ids)s::int[])"
        cr.execute(MOVE_LIVE.format(where=where), params)
        if cr.rowcount:
            cr.execute(
                "DELETE FROM guarantee_position_aggregate WHERE date IS NULL "
                "AND project_count = 0 AND balance = 0 AND liability_balance = 0"
            )
        cr.execute("DELETE FROM guarantee_position_live WHERE project_id = ANY(%(ids)s)", params)
        if not removed:
            cr.execute(INSERT_LIVE.format(where=where), params)
            self.env["guarantee.position.party"]._refresh_partners(partners)
        self.invalidate_model()
        # removed: the rows of their borrowers are recomputed by the caller once they are gone
        return partners

    @api.model
    def _rebuild_live(self):
        """Today's rows and the per-project contributions recomputed from every project."""
        cr = self.env.cr
        params = {"uid": self.env.uid, "date": None}
        cr.execute("DELETE FROM guarantee_position_live")
        cr.execute(INSERT_LIVE.format(where=""), params)
        cr.execute("DELETE FROM guarantee_position_aggregate WHERE date IS NULL")
        cr.execute(INSERT_GROUPED.format(source=LIVE_PROJECTS.format(where="")), params)
        self.env["guarantee.position.party"]._rebuild_live()
        self.invalidate_model()

    @api.model
    def _write_day(self, date, companies):
        """The rows of ``date`` from that day's snapshot rows (the snapshot job)."""
        params = {"date": date, "company_ids": tuple(companies.ids), "uid": self.env.uid}
        self.env.cr.execute(
            "DELETE FROM guarantee_position_aggregate WHERE date = %(date)s "
            "AND company_id IN %(company_ids)s",
            params,
        )
        self.env.cr.execute(INSERT_GROUPED.format(source=SNAPSHOT_PROJECTS), params)
        self.env["guarantee.position.party"]._write_day(date, companies)
        self.invalidate_model()

    # ------------------------------------------------------------------ nightly

    @api.model
    def _cron_verify(self):
        """Recompute today's rows from the projects and the rows of each company's latest
        snapshot from its snapshot rows; on any difference, log it, tell the administrators
        and keep the recomputed figures. Returns the rows that differed."""
        self.env["guarantee.project"].flush_model()
        self.env["guarantee.balance.snapshot"].flush_model()
        self.flush_model()
        companies = self.env["res.company"].sudo().search([])
        differences = []
        params = {"date": None, "company_ids": tuple(companies.ids)}
        live = LIVE_PROJECTS.format(where="AND project.company_id IN %(company_ids)s")
        live_differences = self._differences(live, params)
        Party = self.env["guarantee.position.party"]
        live_differences += [("party",) + key for key in Party._differences(None, companies.ids)]
        if live_differences:
            differences += [(False, key) for key in live_differences]
            self._rebuild_live()
        self.env.cr.execute(
            "SELECT company_id, MAX(date) FROM guarantee_balance_snapshot_run "
            "WHERE company_id IN %s GROUP BY company_id",
            [tuple(companies.ids)],
        )
        for company_id, date in self.env.cr.fetchall():
            params = {"date": date, "company_ids": (company_id,)}
            day_differences = self._differences(SNAPSHOT_PROJECTS, params)
            day_differences += [
                ("party",) + key for key in Party._differences(date, [company_id])
            ]
            if day_differences:
                differences += [(date, key) for key in day_differences]
                self._write_day(date, self.env["res.company"].browse(company_id))
        if differences:
            _logger.error(
                "Portfolio aggregates differed from a full recomputation on %s rows, e.g. %s; "
                "rebuilt.", len(differences), differences[:5],
            )
            self._notify_admins(differences)
        return differences

    @api.model
    def _differences(self, source, params):
        """Keys (dimensions) whose count or amounts differ by more than a fen between the
        stored rows and a recomputation from ``source``."""
        if not params["company_ids"]:
            return []
        cr = self.env.cr
        cr.execute(STORED_ROWS, params)
        stored = {tuple(row[:-3]): row[-3:] for row in cr.fetchall()}
        cr.execute(EXPECTED_ROWS.format(source=source), params)
        expected = {tuple(row[:-3]): row[-3:] for row in cr.fetchall()}
        zero = (0, 0, 0)
        return sorted(
            (
                key
                for key in set(stored) | set(expected)
                if any(
                    abs(float(a or 0) - float(b or 0)) > 0.005
                    for a, b in zip(stored.get(key, zero), expected.get(key, zero))
                )
            ),
            key=str,
        )

    @api.model
    def _notify_admins(self, differences):
        companies = self.env["res.company"].browse({key[1][0] for key in differences})
        note = _(
            "The portfolio aggregates differed from a full recomputation on %(count)s rows "
            "(date, dimensions): %(rows)s. They have been rebuilt; find out which change "
            "bypassed them.",
            count=len(differences),
            rows=", ".join(str(key) for key in differences[:20]),
        )
        companies._notify_guarantee_admins(_("Portfolio aggregates rebuilt"), note)
