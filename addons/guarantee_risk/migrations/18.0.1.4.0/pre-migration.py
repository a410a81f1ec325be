"""The daily balance snapshot keeps validity ranges instead of one row per project and day.

Each run of rows of one project with the same figures on consecutive runs of its company
becomes one row from its first day to the next run after its last (open when that run is the
company's latest); the other rows go. The days read the same rows as before ("valid on D").
"""

import logging

_logger = logging.getLogger(__name__)

VALUES = (
    "company_id", "currency_id", "partner_id", "business_type", "state", "risk_class",
    "balance", "liability_balance", "product_id", "creditor_id", "manager_id", "industry_id",
    "region_id", "city_id",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = "
        "'guarantee_balance_snapshot' AND column_name = 'date'"
    )
    if not cr.fetchone():
        return
    row = ", ".join(f"s.{name}" for name in VALUES)
    cr.execute("""
        ALTER TABLE guarantee_balance_snapshot
            DROP CONSTRAINT IF EXISTS guarantee_balance_snapshot_date_project_unique;
        DROP INDEX IF EXISTS guarantee_balance_snapshot_company_date_index;
        DROP INDEX IF EXISTS guarantee_balance_snapshot__date_index;
        ALTER TABLE guarantee_balance_snapshot RENAME COLUMN date TO date_from;
        ALTER TABLE guarantee_balance_snapshot ADD COLUMN date_to date;
    """)
    cr.execute(f"""
        CREATE TEMP TABLE snapshot_ranges ON COMMIT DROP AS
        WITH days AS (
            SELECT company_id, date,
                   LAG(date) OVER (PARTITION BY company_id ORDER BY date) AS previous,
                   LEAD(date) OVER (PARTITION BY company_id ORDER BY date) AS next
              FROM (SELECT company_id, date FROM guarantee_balance_snapshot_run
                     UNION SELECT DISTINCT company_id, date_from
                             FROM guarantee_balance_snapshot) d
        ), marked AS (
            SELECT s.id, s.project_id, s.company_id, s.date_from, days.next,
                   CASE WHEN LAG(s.date_from) OVER w IS NOT DISTINCT FROM days.previous
                         AND LAG(ROW({row})) OVER w IS NOT DISTINCT FROM ROW({row})
                        THEN 0 ELSE 1 END AS starts
              FROM guarantee_balance_snapshot s
              JOIN days ON days.company_id = s.company_id AND days.date = s.date_from
            WINDOW w AS (PARTITION BY s.project_id, s.company_id ORDER BY s.date_from)
        ), grouped AS (
            SELECT marked.*, SUM(starts) OVER (PARTITION BY project_id, company_id
                                               ORDER BY date_from) AS island
              FROM marked
        )
        SELECT (ARRAY_AGG(id ORDER BY date_from))[1] AS keep_id,
               (ARRAY_AGG(next ORDER BY date_from DESC))[1] AS date_to
          FROM grouped
      GROUP BY project_id, company_id, island
    """)
    cr.execute("""
        UPDATE guarantee_balance_snapshot s SET date_to = r.date_to
          FROM snapshot_ranges r WHERE s.id = r.keep_id
    """)
    cr.execute("""
        DELETE FROM guarantee_balance_snapshot s
         WHERE NOT EXISTS (SELECT 1 FROM snapshot_ranges r WHERE r.keep_id = s.id)
    """)
    _logger.info("balance snapshot: %s daily rows merged into validity ranges", cr.rowcount)
    cr.execute("ANALYZE guarantee_balance_snapshot")
