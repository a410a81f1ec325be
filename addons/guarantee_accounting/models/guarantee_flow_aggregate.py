import logging

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)

# The dimensions of a flow row: its day (for a fee, the due date), the day a fee was paid
# (fee rows only: the collection and overdue figures depend on both dates), and the project's
# company, product, A-role and business type (the filters and the breakdown of the reports).
DIMENSIONS = ("date", "date_paid", "company_id", "product_id", "manager_id", "business_type")
MEASURES = (
    "new_count", "new_amount", "released_count", "released_amount", "compensation_count",
    "compensation_amount", "recovery_amount", "loss_amount", "fee_count", "fee_amount",
    "fee_paid_amount",
)
# The fields of each source whose change moves a flow row (its day, its amount, whether it
# counts, or a dimension).
PROJECT_FIELDS = {
    "loan_release_date", "date_released", "loan_amount_released", "own_share", "state",
    "company_id", "product_id", "manager_id", "business_type",
}
# Changing one of these moves every flow of the project (its compensations, recoveries…).
PROJECT_DIMENSIONS = {"company_id", "product_id", "manager_id", "business_type"}
SOURCE_FIELDS = {
    "guarantee.compensation": {"state", "date_paid", "total", "project_id"},
    "guarantee.recovery": {"state", "date", "amount", "project_id"},
    "guarantee.loss": {"state", "date", "amount", "project_id"},
    "guarantee.fee": {"state", "date_due", "date_paid", "amount", "amount_paid", "project_id"},
}
# The day(s) each source record counts on, by the records' ids.
SOURCE_DAYS = {
    "guarantee.project": """
        SELECT loan_release_date FROM guarantee_project
         WHERE id = ANY(%(ids)s) AND loan_release_date IS NOT NULL
         UNION SELECT date_released FROM guarantee_project
         WHERE id = ANY(%(ids)s) AND date_released IS NOT NULL
    """,
    "guarantee.compensation": """
        SELECT date_paid FROM guarantee_compensation
         WHERE id = ANY(%(ids)s) AND date_paid IS NOT NULL
    """,
    "guarantee.recovery": "SELECT date FROM guarantee_recovery WHERE id = ANY(%(ids)s)",
    "guarantee.loss": "SELECT date FROM guarantee_loss WHERE id = ANY(%(ids)s)",
    "guarantee.fee": "SELECT date_due FROM guarantee_fee WHERE id = ANY(%(ids)s)",
}
# Every day on which a flow of the projects ``ids`` counts (when a dimension of theirs moves).
PROJECT_ALL_DAYS = """
    SELECT day FROM (
        SELECT loan_release_date AS day FROM guarantee_project WHERE id = ANY(%(ids)s)
        UNION SELECT date_released FROM guarantee_project WHERE id = ANY(%(ids)s)
        UNION SELECT date_paid FROM guarantee_compensation WHERE project_id = ANY(%(ids)s)
        UNION SELECT date FROM guarantee_recovery WHERE project_id = ANY(%(ids)s)
        UNION SELECT date FROM guarantee_loss WHERE project_id = ANY(%(ids)s)
        UNION SELECT date_due FROM guarantee_fee WHERE project_id = ANY(%(ids)s)
    ) days WHERE day IS NOT NULL
"""
_OWN_SHARE = "ROUND(project.loan_amount_released * project.own_share::numeric / 100, 2)"
_PROJECT_DIMS = "project.company_id, project.product_id, project.manager_id, project.business_type"
_Z = "0, 0"  # count and amount of a flow a source row has not
# One row per flow of the days ``{where_*}`` narrow, with its dimensions and measures, in the
# order of DIMENSIONS and MEASURES; the same definitions as the reported figures had when they
# read the tables (guarantee.report.figures._flows, _fees).
FLOW_ROWS = f"""
    SELECT project.loan_release_date AS date, NULL::date AS date_paid, {_PROJECT_DIMS},
           1, {_OWN_SHARE}, {_Z}, {_Z}, 0, 0, 0, 0, 0
      FROM guarantee_project project
     WHERE project.loan_release_date IS NOT NULL
       AND project.state NOT IN ('cancelled', 'rejected') {{where_project_new}}
    UNION ALL
    SELECT project.date_released, NULL, {_PROJECT_DIMS},
           {_Z}, 1, {_OWN_SHARE}, {_Z}, 0, 0, 0, 0, 0
      FROM guarantee_project project
     WHERE project.date_released IS NOT NULL {{where_project_released}}
    UNION ALL
    SELECT comp.date_paid, NULL, {_PROJECT_DIMS},
           {_Z}, {_Z}, 1, COALESCE(comp.total, 0), 0, 0, 0, 0, 0
      FROM guarantee_compensation comp
      JOIN guarantee_project project ON project.id = comp.project_id
     WHERE comp.state = 'paid' AND comp.date_paid IS NOT NULL {{where_compensation}}
    UNION ALL
    SELECT rec.date, NULL, {_PROJECT_DIMS},
           {_Z}, {_Z}, {_Z}, COALESCE(rec.amount, 0), 0, 0, 0, 0
      FROM guarantee_recovery rec
      JOIN guarantee_project project ON project.id = rec.project_id
     WHERE rec.state = 'posted' {{where_recovery}}
    UNION ALL
    SELECT loss.date, NULL, {_PROJECT_DIMS},
           {_Z}, {_Z}, {_Z}, 0, COALESCE(loss.amount, 0), 0, 0, 0
      FROM guarantee_loss loss
      JOIN guarantee_project project ON project.id = loss.project_id
     WHERE loss.state = 'posted' {{where_loss}}
    UNION ALL
    SELECT fee.date_due, fee.date_paid, {_PROJECT_DIMS},
           {_Z}, {_Z}, {_Z}, 0, 0, 1, COALESCE(fee.amount, 0),
           CASE WHEN fee.state = 'paid' THEN COALESCE(fee.amount_paid, 0) ELSE 0 END
      FROM guarantee_fee fee
      JOIN guarantee_project project ON project.id = fee.project_id
     WHERE fee.state != 'cancelled' {{where_fee}}
"""
_DAY_FILTERS = {
    "where_project_new": "AND project.loan_release_date = ANY(%(days)s::date[])",
    "where_project_released": "AND project.date_released = ANY(%(days)s::date[])",
    "where_compensation": "AND comp.date_paid = ANY(%(days)s::date[])",
    "where_recovery": "AND rec.date = ANY(%(days)s::date[])",
    "where_loss": "AND loss.date = ANY(%(days)s::date[])",
    "where_fee": "AND fee.date_due = ANY(%(days)s::date[])",
}
_ALL = dict.fromkeys(_DAY_FILTERS, "")
_DIMS = ", ".join(DIMENSIONS)
_COLUMNS = ", ".join(DIMENSIONS + MEASURES)
GROUPED = f"""
    SELECT {_DIMS}, {", ".join(f"SUM({m})" for m in MEASURES)}
      FROM ({{source}}) AS src ({_COLUMNS})
  GROUP BY {_DIMS}
"""
INSERT_GROUPED = f"""
    INSERT INTO guarantee_flow_aggregate ({_COLUMNS}, create_uid, create_date, write_uid,
                                          write_date)
    SELECT *, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM ({GROUPED}) grouped
"""
STORED = f"SELECT {_COLUMNS} FROM guarantee_flow_aggregate"
# Every row recomputed from the source records (the nightly check).
RECOMPUTED = GROUPED.format(source=FLOW_ROWS.format(**_ALL))
# The flow rows of the projects %(project_ids)s only, with the columns of the stored rows.
PROJECT_ROWS = f"""
    SELECT * FROM ({FLOW_ROWS.format(**dict.fromkeys(
        _DAY_FILTERS, "AND project.id = ANY(%(project_ids)s::int[])"))}) AS src ({_COLUMNS})
"""


class GuaranteeFlowAggregate(models.Model):
    """The day's flows per company and day, by product, A-role and business type: new
    guarantees (loan released) and released guarantees at own share, compensation paid,
    recovered, written off, and the fees due that day (with the day each was paid).

    A day's rows are recomputed from its source records in the transaction of every change
    of a project's flow fields, a compensation, a recovery, a loss or a fee (the days the
    changed records counted on before and after the change), and by the daily snapshot job
    for its day; the nightly ``_cron_verify`` compares every row with a full recomputation,
    repairs and reports a difference. The monthly indicators read these rows: their cost
    follows the number of rows of the period, not of projects. Written by SQL only.
    """

    _name = "guarantee.flow.aggregate"
    _description = "Daily Flow Aggregate"
    _order = "date desc, company_id"

    date = fields.Date(readonly=True, required=True, index=True,
                       help="The day of the flow; for a fee, its due date.")
    date_paid = fields.Date(string="Fee Paid On", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    product_id = fields.Many2one("guarantee.product", readonly=True)
    manager_id = fields.Many2one("res.users", string="A-Role (Lead Manager)", readonly=True)
    business_type = fields.Selection(
        lambda self: self.env["guarantee.product"]._fields["business_type"].selection,
        readonly=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    new_count = fields.Integer(string="New Guarantees", readonly=True)
    new_amount = fields.Monetary(string="New (Own Share)", readonly=True)
    released_count = fields.Integer(string="Released Guarantees", readonly=True)
    released_amount = fields.Monetary(string="Released (Own Share)", readonly=True)
    compensation_count = fields.Integer(string="Compensations Paid", readonly=True)
    compensation_amount = fields.Monetary(string="Compensation Paid", readonly=True)
    recovery_amount = fields.Monetary(string="Recovered", readonly=True)
    loss_amount = fields.Monetary(string="Written Off", readonly=True)
    fee_count = fields.Integer(string="Fees Due", readonly=True)
    fee_amount = fields.Monetary(string="Fee Amount Due", readonly=True)
    fee_paid_amount = fields.Monetary(string="Fee Amount Paid", readonly=True)

    def init(self):
        cr = self.env.cr
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS guarantee_flow_aggregate_key_uniq "
            "ON guarantee_flow_aggregate (date, date_paid, company_id, product_id, manager_id, "
            "business_type) NULLS NOT DISTINCT"
        )
        cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_flow_aggregate_company_date_idx "
            "ON guarantee_flow_aggregate (company_id, date)"
        )

    # ------------------------------------------------------------------ upkeep

    @api.model
    def _days_of(self, model, ids, all_flows=False):
        """The days on which the records ``ids`` of ``model`` count now (``all_flows``: for
        projects, the days of every flow of theirs)."""
        if not ids:
            return set()
        query = PROJECT_ALL_DAYS if all_flows else SOURCE_DAYS[model]
        self.env.cr.execute(query, {"ids": list(ids)})
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _refresh_days(self, days):
        """Recompute the rows of ``days`` (every company) from their source records."""
        days = sorted(day for day in days if day)
        if not days:
            return
        params = {"days": days, "uid": self.env.uid}
        self.env.cr.execute(
            "DELETE FROM guarantee_flow_aggregate WHERE date = ANY(%(days)s::date[])", params
        )
        self.env.cr.execute(
            INSERT_GROUPED.format(source=FLOW_ROWS.format(**_DAY_FILTERS)), params
        )
        self.invalidate_model()

    @api.model
    def _rebuild_all(self):
        """Every row recomputed from every source record."""
        self.env.cr.execute("DELETE FROM guarantee_flow_aggregate")
        self.env.cr.execute(
            INSERT_GROUPED.format(source=FLOW_ROWS.format(**_ALL)), {"uid": self.env.uid}
        )
        self.invalidate_model()

    # ------------------------------------------------------------------ nightly

    @api.model
    def _project_rows_sql(self):
        """SQL of the flow rows of the projects ``%(project_ids)s`` only, with the columns of
        the stored rows: for a reader who sees only some projects."""
        return PROJECT_ROWS

    @api.model
    def _flush_sources(self):
        for model in ("guarantee.project", *SOURCE_FIELDS):
            self.env[model].flush_model()
        self.flush_model()

    @api.model
    def _cron_verify(self):
        """Compare every row with a full recomputation from the source records; on any
        difference, log it, tell the administrators and keep the recomputed rows. Returns
        the keys (dimensions) that differed."""
        self._flush_sources()
        cr = self.env.cr
        cr.execute(STORED)
        stored = {tuple(row[:len(DIMENSIONS)]): row[len(DIMENSIONS):] for row in cr.fetchall()}
        cr.execute(RECOMPUTED)
        expected = {
            tuple(row[:len(DIMENSIONS)]): row[len(DIMENSIONS):] for row in cr.fetchall()
        }
        zero = (0,) * len(MEASURES)
        differences = sorted(
            (
                key
                for key in set(stored) | set(expected)
                if any(
                    abs(float(a or 0) - float(b or 0)) > 0.005
                    for a, b in zip(stored.get(key, zero), expected.get(key, zero), strict=True)
                )
            ),
            key=str,
        )
        if differences:
            _logger.error(
                "Flow aggregates differed from a full recomputation on %s rows, e.g. %s; "
                "rebuilt.", len(differences), differences[:5],
            )
            self._refresh_days({key[0] for key in differences})
            self._notify_admins(differences)
        return differences

    @api.model
    def _notify_admins(self, differences):
        companies = self.env["res.company"].browse({key[2] for key in differences}).exists()
        note = _(
            "The daily flow aggregates differed from a full recomputation on %(count)s rows "
            "(day, fee paid on, company, product, A-role, business type): %(rows)s. They have "
            "been rebuilt; find out which change bypassed them.",
            count=len(differences),
            rows=", ".join(str(key) for key in differences[:20]),
        )
        companies._notify_guarantee_admins(_("Flow aggregates rebuilt"), note)
