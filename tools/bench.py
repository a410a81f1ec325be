#!/usr/bin/env python3
"""Benchmark of the figures users wait for, each beside hand-written SQL (not a test).

    python3 tools/gen_portfolio.py -d limits_perf --db_host 127.0.0.1 -r odoo --projects 100000
    python3 tools/bench.py -d limits_perf --db_host 127.0.0.1 -r odoo --runs 7

For each figure: the median of ``--runs`` runs through the ORM (as the application computes
it), the median of hand-written SQL computing the same result on the same data, and the ratio.
The nightly jobs (snapshot, ledger check, reminders and escalations, expiry reminders, the
early-warning watch against a provider served on 127.0.0.1, reserve run) run in a transaction
rolled back after each run, so the database is unchanged. Figures whose code is not installed
are skipped.
"""

import datetime
import re
import sys
import threading
from collections import namedtuple
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from unittest.mock import patch

from bench_watch import ProviderHandler
from gen_portfolio import clone
from perf_common import boot_odoo, environment, median_ms, parser

FINANCING = ("loan", "bond", "other_financing", "housing")
WATCH_BATCH = 200

# ``orm`` is timed through the application, ``sql`` is its floor; ``warm`` keeps the cache
# between runs (the figure writes nothing); ``setup`` runs untimed before each run.
Figure = namedtuple("Figure", "label orm sql warm setup", defaults=(False, None))


def limits_check(env, candidate):
    engine = env["guarantee.regulatory.engine"]
    ledger_sql = (
        "SELECT weight_category, balance + commitments, liability_committed "
        "FROM guarantee_exposure "
        "WHERE company_id = %(c)s AND scope = 'borrower' AND borrower_key = %(k)s "
        "UNION ALL SELECT NULL, NULL, liability_committed FROM guarantee_exposure "
        "WHERE company_id = %(c)s AND scope = 'company'"
    )
    params = {"c": candidate.company_id.id, "k": candidate._borrower_key()}
    exposure = env["guarantee.exposure"]
    company_ids = candidate.company_id.ids

    def check():
        exposure._lock_companies(company_ids)
        return engine.evaluate(candidate)

    return Figure(
        "limits check at approval (ledger, cold cache)",
        check,
        lambda: env.cr.execute(ledger_sql, params) or env.cr.fetchall(),
    )


def limits_check_warm(env, candidate):
    """The same check as an approval runs it: the project, its company and borrower are
    already loaded by the approval's other gates."""
    cold = limits_check(env, candidate)
    return cold._replace(label="limits check at approval (ledger, records loaded)", warm=True)


def limits_without_ledger(env, candidate):
    """What the check cost before the ledger: one aggregate over the whole portfolio."""
    sql = (
        "SELECT p.partner_id, p.business_type, SUM(p.balance::float) FROM guarantee_project p "
        "WHERE p.company_id = %s AND p.state = 'active' AND p.balance > 0 "
        "AND p.business_type IN %s GROUP BY 1, 2"
    )
    params = (candidate.company_id.id, FINANCING)
    return Figure(
        "  (same figures aggregated from all projects)",
        None,
        lambda: env.cr.execute(sql, params) or env.cr.fetchall(),
    )


def pm_list_page(env, pm):
    spec = {
        "name": {},
        "partner_id": {"fields": {"display_name": {}}},
        "product_id": {"fields": {"display_name": {}}},
        "amount": {},
        "balance": {},
        "date_end": {},
        "risk_class": {},
        "state": {},
        "manager_id": {"fields": {"display_name": {}}},
    }
    Project = (
        env["guarantee.project"].with_user(pm).with_context(allowed_company_ids=pm.company_ids.ids)
    )
    domain = [("state", "=", "active"), ("risk_class", "!=", "loss")]
    sql = (
        "SELECT p.id, p.name, rp.name, pr.name, p.amount, p.balance, p.date_end, p.risk_class, "
        "p.state, mp.name FROM guarantee_project p JOIN res_partner rp ON rp.id = p.partner_id "
        "JOIN guarantee_product pr ON pr.id = p.product_id "
        "LEFT JOIN res_users mu ON mu.id = p.manager_id "
        "LEFT JOIN res_partner mp ON mp.id = mu.partner_id "
        "WHERE p.state = 'active' AND p.risk_class != 'loss' AND p.active "
        "AND p.company_id = ANY(%(companies)s) "
        "AND (p.manager_id = %(uid)s OR p.assistant_id = %(uid)s) "
        "ORDER BY p.id DESC LIMIT 80"
    )
    count_sql = (
        "SELECT count(*) FROM (SELECT 1 FROM guarantee_project p WHERE p.state = 'active' "
        "AND p.risk_class != 'loss' AND p.active AND p.company_id = ANY(%(companies)s) "
        "AND (p.manager_id = %(uid)s OR p.assistant_id = %(uid)s) LIMIT 10001) c"
    )
    params = {"companies": pm.company_ids.ids, "uid": pm.id}

    def by_sql():
        env.cr.execute(sql, params)
        rows = env.cr.fetchall()
        env.cr.execute(count_sql, params)
        return rows, env.cr.fetchone()

    return Figure(
        "project manager's list page, 80 rows",
        lambda: Project.web_search_read(domain, spec, limit=80, order="id desc", count_limit=10001),
        by_sql,
    )


def regulatory_figures(env, company):
    Project = env["guarantee.project"]
    domain = [("company_id", "=", company.id), ("state", "=", "active")]
    sql = (
        "SELECT business_type, risk_class, SUM(balance), SUM(liability_balance), count(*) "
        "FROM guarantee_project WHERE company_id = %s AND state = 'active' AND active GROUP BY 1, 2"
    )
    return Figure(
        "regulatory figures (balance, liability by type and class)",
        lambda: Project._read_group(
            domain,
            ["business_type", "risk_class"],
            ["balance:sum", "liability_balance:sum", "__count"],
        ),
        lambda: env.cr.execute(sql, (company.id,)) or env.cr.fetchall(),
    )


def ledger_check(env):
    from odoo.addons.guarantee_risk.models.guarantee_exposure import PROJECT_AGGREGATE

    Exposure = env["guarantee.exposure"]
    params = {
        "high": ("AAA", "AA+", "AA"),
        "committed": ("approved", "contracted"),
        "states": ("approved", "contracted", "active"),
        "partner_ids": None,
    }
    return Figure(
        "nightly: exposure ledger check (full recomputation)",
        Exposure._cron_verify,
        lambda: env.cr.execute(PROJECT_AGGREGATE, params) or env.cr.fetchall(),
    )


def expiry_reminders(env):
    sql = (
        "SELECT c.id FROM guarantee_collateral c WHERE c.state = 'registered' AND "
        "((c.registration_expiry BETWEEN current_date AND current_date + 30) OR "
        "(c.insurance_expiry BETWEEN current_date AND current_date + 30))"
    )
    env.cr.execute(sql)
    return Figure(
        f"nightly: counter-guarantee expiry reminders ({env.cr.rowcount:,} due)",
        env["guarantee.collateral"]._cron_expiry_reminders,
        lambda: env.cr.execute(sql) or env.cr.fetchall(),
    )


def overdue_reminders(env):
    sql = (
        "SELECT a.id, a.user_id FROM mail_activity a WHERE a.res_model = 'guarantee.project' "
        "AND a.date_deadline < current_date"
    )
    env.cr.execute(sql)
    return Figure(
        f"nightly: overdue task reminders ({env.cr.rowcount:,} overdue)",
        env["mail.activity"]._cron_guarantee_overdue_reminders,
        lambda: env.cr.execute(sql) or env.cr.fetchall(),
    )


def reserve_run(env, company):
    """The month's provision: the balance in force from the snapshot of last month's end and
    the fee income and reserve balances from the ledger, then one entry of four lines."""
    month_end = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    balance_sql = (
        "SELECT SUM(balance) FROM guarantee_balance_snapshot s, (SELECT max(date) AS d FROM "
        "guarantee_balance_snapshot_run WHERE company_id = %s AND date <= %s) run "
        "WHERE s.company_id = %s AND s.date_from <= run.d "
        "AND (s.date_to IS NULL OR s.date_to > run.d)"
    )
    ledger_sql = (
        "SELECT account_id, SUM(balance) FROM account_move_line WHERE company_id = %s "
        "AND parent_state = 'posted' AND date <= %s GROUP BY account_id"
    )
    move_sql = (
        "WITH m AS (INSERT INTO account_move (journal_id, company_id, currency_id, date, state, "
        "move_type, name, auto_post) SELECT j.id, j.company_id, %s, %s, 'posted', 'entry', "
        "'BENCH/RESERVE', 'no' FROM account_journal j WHERE j.company_id = %s LIMIT 1 "
        "RETURNING id, journal_id, company_id, currency_id) "
        "INSERT INTO account_move_line (move_id, journal_id, company_id, currency_id, "
        "company_currency_id, account_id, balance, amount_currency, debit, credit, date, "
        "display_type) SELECT m.id, m.journal_id, m.company_id, m.currency_id, m.currency_id, "
        "a.id, 0, 0, 0, 0, %s, 'product' FROM m, (SELECT id FROM account_account LIMIT 4) a"
    )
    params = (company.id, month_end, company.id)

    def by_sql():
        env.cr.execute(balance_sql, params)
        env.cr.execute(ledger_sql, (company.id, month_end))
        env.cr.execute(move_sql, (company.currency_id.id, month_end, company.id, month_end))

    return Figure(
        "nightly: reserve run (the month just ended)",
        env["guarantee.reserve.provision"]._cron_monthly_provision,
        by_sql,
    )


def snapshot_of_the_day(env):
    Snapshot = env["guarantee.balance.snapshot"]
    return Figure(
        "nightly: balance snapshot of the day",
        Snapshot._cron_take_snapshot,
        replayed(env, Snapshot._cron_take_snapshot),
    )


@contextmanager
def local_provider():
    """A registry provider on 127.0.0.1 answering every customer's profile."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ProviderHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield "http://127.0.0.1:%d" % server.server_address[1]
    finally:
        server.shutdown()


def watch_figures(env, company, provider_url):
    """The early-warning watch of the customers in force: queuing the run's batches (the
    cron, a 24th of the customers per run), and one batch of customers checked against a
    local provider (the queue job; a day is one batch per 200 customers in force)."""
    Partner = env["res.partner"].sudo()
    targets = Partner._guarantee_watch_targets(company)
    batch = Partner.search([("id", "in", targets), ("uscc", "!=", False)], limit=WATCH_BATCH).ids
    provider = {}

    def add_provider():
        env.cr.rollback()
        env.invalidate_all()
        provider["record"] = env["guarantee.data.provider"].create({
            "name": "Bench provider", "base_url": provider_url, "timeout": 5, "max_retries": 1,
            "sequence": -1, "company_id": company.id,
        })

    due_sql = (
        "SELECT p.id FROM res_partner p WHERE p.id IN (SELECT partner_id FROM guarantee_project "
        "WHERE state = 'active' AND company_id = %(c)s) AND p.uscc IS NOT NULL "
        "AND (p.guarantee_watch_date IS NULL OR p.guarantee_watch_date < current_date) "
        "ORDER BY p.guarantee_watch_date NULLS FIRST, p.id LIMIT %(limit)s"
    )
    queue_sql_params = {"c": company.id, "limit": max(len(targets) // 24, WATCH_BATCH)}
    # the floor of a batch: its customers' profiles written as one statement (no HTTP)
    snapshot_sql = (
        "INSERT INTO guarantee_partner_profile (partner_id, provider_id, data, fingerprint, "
        "date_checked) SELECT id, %(provider)s, '{}', md5(id::text), now() FROM res_partner "
        "WHERE id = ANY(%(ids)s)"
    )
    yield Figure(
        f"nightly: early-warning watch, queue a run ({len(targets):,} customers)",
        lambda: Partner._cron_guarantee_watch(),
        lambda: env.cr.execute(due_sql, queue_sql_params) or env.cr.fetchall(),
        setup=add_provider,
    )
    yield Figure(
        f"nightly: early-warning watch, one batch of {len(batch)} customers",
        lambda: Partner._guarantee_watch_batch(provider["record"].id, batch),
        lambda: env.cr.execute(
            snapshot_sql, {"provider": provider["record"].id, "ids": batch}
        ),
        setup=add_provider,
    )


@contextmanager
def recorded_statements(statements):
    """Record the hand-written statements (plain strings; the ORM sends ``SQL`` objects) that
    the code run inside sends, with their parameters."""
    from odoo.sql_db import Cursor

    execute = Cursor.execute

    def recording(cr, query, params=None, log_exceptions=True):
        if isinstance(query, str):
            statements.append((query, params))
        return execute(cr, query, params, log_exceptions)

    with patch.object(Cursor, "execute", recording):
        yield


def replayed(env, function):
    """The SQL floor of a figure that is hand-written SQL already (the reports read the
    database directly): its own statements run again raw, without the Python around them.
    They are recorded by ``replay.prepare()``, which ``measure`` calls before timing."""
    statements = []

    def prepare():
        with recorded_statements(statements):
            function()
        env.cr.rollback()
        env.invalidate_all()

    def replay():
        for query, params in statements:
            env.cr.execute(query, params)
            if env.cr.description:
                env.cr.fetchall()

    replay.prepare = prepare
    return replay


def monthly_indicators(env, executive):
    """The month to date: its position is read from the projects themselves (a past month's
    from the snapshot of its last day, which a generated portfolio has not)."""
    figures = env["guarantee.report.figures"].with_user(executive)
    date_to = datetime.date.today()

    def indicators():
        return figures.indicators(date_to.replace(day=1), date_to, executive.company_id)

    return Figure(
        "monthly indicators (month to date, executive)",
        indicators,
        replayed(env, indicators),
    )


def dashboard(env, executive):
    figures = env["guarantee.report.figures"].with_user(executive)

    def first_load():
        return figures.dashboard_data({"company_id": executive.company_id.id})

    return Figure("dashboard first load (executive)", first_load, replayed(env, first_load))


def aggregate_floor(env, company):
    """The floor of the dashboard and the indicators once they read the portfolio aggregates:
    today's rows and those of the last twelve snapshot dates (the trend), read raw."""
    sql = (
        "SELECT business_type, weight_category, risk_class, region_id, industry_section_id, "
        "manager_id, product_id, project_count, balance, liability_balance "
        "FROM guarantee_position_aggregate WHERE company_id = %(c)s AND (date IS NULL OR date "
        "IN (SELECT date FROM guarantee_balance_snapshot_run WHERE company_id = %(c)s "
        "ORDER BY date DESC LIMIT 12))"
    )
    env.cr.execute(sql, {"c": company.id})
    return Figure(
        f"  (floor: {env.cr.rowcount:,} aggregate rows of today and the trend, raw)",
        None,
        lambda: env.cr.execute(sql, {"c": company.id}) or env.cr.fetchall(),
    )


# The figures as they were computed before the aggregates, for a day: totals by type and class
# and the ten largest borrowers and groups from every row in force (the projects, or a
# snapshot's rows), and the month's flows and fees from their tables.
FULL_SCAN_POSITION = """
    WITH pos AS ({source})
    SELECT business_type, risk_class, COUNT(*), SUM(balance), SUM(liability_balance)
      FROM pos GROUP BY 1, 2;
    WITH pos AS ({source})
    SELECT COALESCE(NULLIF(r.uscc, ''), 'partner-' || r.id), MIN(r.id),
           SUM(pos.liability_balance), SUM(pos.balance)
      FROM pos JOIN res_partner r ON r.id = pos.partner_id
     WHERE pos.business_type <> 'non_financing' GROUP BY 1 ORDER BY 3 DESC, 2 LIMIT 10;
    WITH pos AS ({source})
    SELECT r.related_group_id, SUM(pos.liability_balance), SUM(pos.balance)
      FROM pos JOIN res_partner r ON r.id = pos.partner_id
     WHERE pos.business_type <> 'non_financing' AND r.related_group_id IS NOT NULL
  GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10
"""
LIVE_ROWS = (
    "SELECT partner_id, business_type, risk_class, balance, liability_balance "
    "FROM guarantee_project WHERE company_id = %(c)s AND state = 'active' AND active"
)
SNAPSHOT_ROWS = (
    "SELECT partner_id, business_type, risk_class, balance, liability_balance "
    "FROM guarantee_balance_snapshot WHERE company_id = %(c)s AND date_from <= %(d)s "
    "AND (date_to IS NULL OR date_to > %(d)s)"
)
FULL_SCAN_FLOWS = """
    SELECT COUNT(*) FILTER (WHERE loan_release_date BETWEEN %(f)s AND %(t)s),
           SUM(loan_amount_released * own_share / 100)
               FILTER (WHERE loan_release_date BETWEEN %(f)s AND %(t)s),
           SUM(loan_amount_released * own_share / 100)
               FILTER (WHERE date_released BETWEEN %(f)s AND %(t)s)
      FROM guarantee_project WHERE company_id = %(c)s;
    SELECT SUM(c.total) FILTER (WHERE c.date_paid BETWEEN %(f)s AND %(t)s), SUM(c.total)
      FROM guarantee_compensation c JOIN guarantee_project p ON p.id = c.project_id
     WHERE p.company_id = %(c)s AND c.state = 'paid' AND c.date_paid <= %(t)s;
    SELECT SUM(r.amount) FROM guarantee_recovery r JOIN guarantee_project p ON p.id = r.project_id
     WHERE p.company_id = %(c)s AND r.state = 'posted' AND r.date <= %(t)s;
    SELECT SUM(f.amount) FILTER (WHERE f.date_due BETWEEN %(f)s AND %(t)s),
           SUM(f.amount) FILTER (WHERE f.date_due < %(t)s
                                   AND (f.date_paid IS NULL OR f.date_paid > %(t)s))
      FROM guarantee_fee f JOIN guarantee_project p ON p.id = f.project_id
     WHERE p.company_id = %(c)s AND f.state != 'cancelled'
"""
# The floor once the figures read the aggregates: the rows of the day and of the month, raw.
AGGREGATE_ROWS = """
    SELECT business_type, weight_category, risk_class, region_id, industry_section_id,
           project_count, balance, liability_balance
      FROM guarantee_position_aggregate
     WHERE company_id = %(c)s AND {day};
    (SELECT key, partner_id, liability_balance FROM guarantee_position_party
      WHERE company_id = %(c)s AND kind = 'party' AND {day}
   ORDER BY liability_balance DESC, partner_id LIMIT 10);
    SELECT * FROM guarantee_flow_aggregate WHERE company_id = %(c)s AND date <= %(t)s
"""


def past_day(env, company):
    """Last month's end, which the generated portfolio has a snapshot of."""
    return datetime.date.today().replace(day=1) - datetime.timedelta(days=1)


def regulatory_past(env, executive):
    """The regulatory workbook's figures for last month's end (a past date): the position
    (balances, liability by weight, the ten largest borrowers and groups) and the month's
    flows by business type, as the executive."""
    figures = env["guarantee.report.figures"].with_user(executive)
    company = executive.company_id
    day = past_day(env, company)
    first = day.replace(day=1)
    params = {"c": company.id, "d": day, "f": first, "t": day}

    def workbook():
        figures.position(day, company)
        figures.by_business_type(first, day, company)

    def run(sql):
        return lambda: env.cr.execute(sql, params)

    yield Figure(f"regulatory figures for a past date ({day})", workbook,
                 run(AGGREGATE_ROWS.format(day="date = %(d)s")))
    yield Figure("  (same figures from the snapshot rows and the tables: full scan)", None,
                 run(FULL_SCAN_POSITION.format(source=SNAPSHOT_ROWS) + ";" + FULL_SCAN_FLOWS))


def full_scan_today(env, company):
    """What the dashboard and the indicators read before the aggregates: every project in
    force and the tables of flows and fees (the floor column is that SQL)."""
    today = datetime.date.today()
    params = {"c": company.id, "d": None, "f": today.replace(day=1), "t": today}
    sql = FULL_SCAN_POSITION.format(source=LIVE_ROWS) + ";" + FULL_SCAN_FLOWS
    return Figure(
        "  (today's figures from all projects and tables: full scan)",
        None,
        lambda: env.cr.execute(sql, params),
    )


def aggregate_rows_today(env, company):
    today = datetime.date.today()
    params = {"c": company.id, "d": None, "f": today.replace(day=1), "t": today}
    return Figure(
        "  (floor: today's aggregate, borrower and flow rows, raw)",
        None,
        lambda: env.cr.execute(AGGREGATE_ROWS.format(day="date IS NULL"), params),
    )


def ledger_import(env, rows):
    """The import of a ``rows``-row ledger (台账) through the wizard (check, then import)
    beside one multi-row INSERT of as many customers and projects copied from a template."""
    from odoo.addons.guarantee_accounting.tools import ledger_sample

    product = env["guarantee.product"].search([("business_type", "=", "loan")], limit=1)
    bank = env["res.partner"].search([("is_company", "=", True)], limit=1)
    data = ledger_sample.ledger_xlsx(
        ledger_sample.ledger_rows(rows, product.name, bank.name, prefix="BENCH")
    )

    def import_ledger():
        wizard = env["guarantee.import.wizard"].create({"file": data, "filename": "bench.xlsx"})
        wizard.action_check()
        return wizard.log_id._run_import()

    def by_sql():
        source = f"SELECT i FROM generate_series(1, {rows}) AS i"
        clone(env.cr, "res_partner", source, {"name": "'台账客户' || s.i", "uscc": "NULL"})
        clone(env.cr, "guarantee_project", source, {"name": "'BENCH-' || s.i"})

    return Figure(f"ledger import, {rows:,} rows (check + import)", import_ledger, by_sql)


def figures(env, candidate, pm, executive, import_rows, provider_url):
    company = candidate.company_id
    yield limits_check(env, candidate)
    yield limits_check_warm(env, candidate)
    yield limits_without_ledger(env, candidate)
    if pm:
        yield pm_list_page(env, pm)
    yield regulatory_figures(env, company)
    if executive and "guarantee.report.figures" in env:
        yield monthly_indicators(env, executive)
        yield dashboard(env, executive)
        if "guarantee.position.aggregate" in env:
            yield aggregate_floor(env, executive.company_id)
        if "guarantee.flow.aggregate" in env:
            yield aggregate_rows_today(env, executive.company_id)
            yield full_scan_today(env, executive.company_id)
            yield from regulatory_past(env, executive)
    yield ledger_check(env)
    yield expiry_reminders(env)
    yield overdue_reminders(env)
    yield from watch_figures(env, company, provider_url)
    if "guarantee.reserve.provision" in env:
        yield reserve_run(env, company)
    yield snapshot_of_the_day(env)
    if import_rows and "guarantee.import.wizard" in env:
        yield ledger_import(env, import_rows)


def measure(env, figure, args):
    """Time ``figure`` and its SQL floor, each after a rollback, and print them."""
    cr = env.cr
    runs = args.job_runs if figure.label.startswith(("nightly", "ledger")) else args.runs

    def fresh():
        cr.rollback()
        env.invalidate_all()
        if figure.setup:
            figure.setup()

    if hasattr(figure.sql, "prepare"):
        fresh()
        figure.sql.prepare()
    orm_ms = None
    if figure.orm:
        orm_ms, _result = median_ms(
            lambda: (figure.orm(), env.flush_all()),
            runs,
            # a rollback empties the cache: a loaded-records figure runs without one
            before=None if figure.warm else fresh,
        )
    sql_ms, _rows = median_ms(figure.sql, runs, before=fresh)
    cr.rollback()
    orm_text = f"{orm_ms:9.1f}" if orm_ms is not None else f"{'':>9}"
    ratio = f"{orm_ms / sql_ms:7.2f}" if orm_ms is not None and sql_ms else f"{'':>7}"
    print(f"{figure.label:<58} {orm_text} {sql_ms:9.1f} {ratio}", flush=True)


def main():
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--runs", type=int, default=7)
    arguments.add_argument("--skip", help="regular expression of figures not to measure")
    arguments.add_argument("--job-runs", type=int, default=3, help="runs of each nightly job")
    arguments.add_argument(
        "--import-rows", type=int, default=5000, help="rows of the ledger import (0: skip it)"
    )
    args = arguments.parse_args()
    odoo = boot_odoo(args)
    _registry, open_env = environment(odoo, args)
    env = open_env()
    with env.cr:
        if "guarantee.exposure" not in env:
            sys.exit("guarantee_risk is not installed in %s" % args.database)
        cr = env.cr
        cr.execute(
            "SELECT count(*) FILTER (WHERE state = 'active'), count(*) FROM guarantee_project"
        )
        in_force, total = cr.fetchone()
        candidate = env["guarantee.project"].search(
            [("state", "=", "reviewing"), ("business_type", "=", "loan")],
            limit=1,
            order="id desc",
        )
        if not candidate:
            sys.exit("no loan project in review to check: run tools/gen_portfolio.py first")
        pm = env["res.users"].search([("login", "=", "pm1")], limit=1)
        executive = env["res.users"].search([("login", "=", "executive")], limit=1)
        print(f"projects: {total:,}, in force: {in_force:,}, runs per figure: {args.runs}")
        print(f"{'figure':<58} {'ORM ms':>9} {'SQL ms':>9} {'ratio':>7}")
        with local_provider() as provider_url:
            for figure in figures(
                env, candidate, pm, executive, args.import_rows, provider_url
            ):
                if not (args.skip and re.search(args.skip, figure.label)):
                    measure(env, figure, args)
        cr.rollback()


if __name__ == "__main__":
    main()
