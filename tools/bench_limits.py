#!/usr/bin/env python3
"""Benchmark of the regulatory limits check on a large portfolio (not a test).

Fills a database with in-force guarantee projects by SQL bulk insert (copies of a template
row, so that every NOT NULL column is filled), then evaluates the limits of a candidate
project N times and prints the median time.

    python3 tools/bench_limits.py -d h_risk_bench --db_host 127.0.0.1 -r odoo \
        --addons-path addons,tests --projects 100000 --runs 20

The database must have guarantee_risk installed. The bench projects (named BENCH-…) are
committed and reused by later runs; ``--clean`` deletes them.
"""

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--db_host", default=None)
    parser.add_argument("--db_port", default=None)
    parser.add_argument("-r", "--db_user", default=None)
    parser.add_argument("-w", "--db_password", default=None)
    parser.add_argument("--addons-path", default="addons,tests")
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--borrowers", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--clean", action="store_true", help="delete the bench data and exit")
    return parser.parse_args()


def boot_odoo(args):
    import odoo

    options = [
        "-d",
        args.database,
        "--addons-path",
        ",".join(
            os.path.join(ROOT, p) if not os.path.isabs(p) else p
            for p in args.addons_path.split(",")
        ),
    ]
    for flag, value in (
        ("--db_host", args.db_host),
        ("--db_port", args.db_port),
        ("-r", args.db_user),
        ("-w", args.db_password),
    ):
        if value:
            options += [flag, value]
    odoo.tools.config.parse_config(options)
    return odoo


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name != 'id' ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def copy_rows(cr, table, template_id, count, overrides):
    """INSERT ``count`` copies of row ``template_id``; ``overrides`` maps a column to an SQL
    expression of ``i`` (1..count)."""
    cols = columns(cr, table)
    select = ", ".join(overrides.get(col, col) for col in cols).replace("%", "%%")
    cr.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) "
        f"SELECT {select} FROM {table}, generate_series(1, %s) AS i WHERE {table}.id = %s",
        (count, template_id),
    )


def fill(env, args):
    cr = env.cr
    company = env.company
    cr.execute("SELECT count(*) FROM guarantee_project WHERE name LIKE 'BENCH-%%'")
    existing = cr.fetchone()[0]
    if existing >= args.projects:
        print(f"reusing {existing} bench projects")
        return
    Product = env["guarantee.product"]
    products = {}
    for business_type in ("loan", "bond", "other_financing", "housing", "non_financing"):
        products[business_type] = Product.search(
            [("business_type", "=", business_type), ("company_id", "in", [company.id, False])],
            limit=1,
        ) or Product.create(
            {
                "name": f"Bench {business_type}",
                "code": f"BENCH-{business_type}",
                "business_type": business_type,
            }
        )
    partner = env["res.partner"].create(
        {"name": "Bench template", "is_company": True, "is_guarantee_customer": True}
    )
    project = env["guarantee.project"].create(
        {
            "partner_id": partner.id,
            "product_id": products["loan"].id,
            "amount": 1_000_000,
            "term_months": 12,
            "date_start": "2026-01-01",
            "name": "BENCH-TEMPLATE",
        }
    )
    env.flush_all()
    started = time.perf_counter()
    copy_rows(
        cr,
        "res_partner",
        partner.id,
        args.borrowers,
        {
            "name": "'Bench borrower ' || i",
            "complete_name": "'Bench borrower ' || i",
            "uscc": "'BENCH' || lpad(i::text, 13, '0')",
            "is_company": "(i % 10 != 0)",
            "is_agricultural": "(i % 10 = 0)",
            "enterprise_scale": "(ARRAY['small', 'micro', 'medium', 'large'])[1 + i % 4]",
        },
    )
    cr.execute(
        "CREATE TEMP TABLE bench_borrower AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id "
        "FROM res_partner WHERE name LIKE 'Bench borrower %%'"
    )
    cr.execute("CREATE UNIQUE INDEX ON bench_borrower (n)")
    # business mix: 70% loans, 10% bonds, 8% other financing, 7% housing, 5% non-financing
    kind = (
        "(CASE WHEN i % 100 < 70 THEN 'loan' WHEN i % 100 < 80 THEN 'bond' "
        "WHEN i % 100 < 88 THEN 'other_financing' WHEN i % 100 < 95 THEN 'housing' "
        "ELSE 'non_financing' END)"
    )
    product_case = (
        "(CASE "
        + " ".join(f"WHEN {kind} = '{bt}' THEN {p.id}" for bt, p in products.items())
        + " END)"
    )
    rating = "(ARRAY['AAA', 'AA+', 'AA', 'AA-', 'A+'])[1 + i % 5]"
    amount = "(100000 + (i * 7919) % 9900000)::numeric"
    own_share = "(CASE WHEN i % 5 = 0 THEN 50 ELSE 100 END)"
    copy_rows(
        cr,
        "guarantee_project",
        project.id,
        args.projects,
        {
            "name": "'BENCH-' || lpad(i::text, 6, '0')",
            "partner_id": f"(SELECT id FROM bench_borrower WHERE n = (i * 31) % {args.borrowers})",
            "product_id": product_case,
            "business_type": kind,
            "issuer_rating": f"(CASE WHEN {kind} = 'bond' THEN {rating} END)",
            "amount": amount,
            "own_share": own_share,
            "state": "'active'",
            "loan_amount_released": amount,
            "principal_repaid": "0",
            "outstanding_principal": amount,
            "balance": f"{amount} * {own_share} / 100",
            "liability_balance": f"{amount} * {own_share} / 100",
            "credit_line_id": "NULL",
        },
    )
    cr.execute("ANALYZE guarantee_project")
    cr.execute("ANALYZE res_partner")
    cr.commit()
    print(
        f"inserted {args.borrowers} borrowers and {args.projects} in-force projects "
        f"in {time.perf_counter() - started:.1f}s"
    )


def clean(env):
    cr = env.cr
    cr.execute("DELETE FROM guarantee_project WHERE name LIKE 'BENCH-%%'")
    cr.execute("DELETE FROM res_partner WHERE name LIKE 'Bench %%'")
    cr.commit()
    print("bench data deleted")


def bench(env, args):
    cr = env.cr
    cr.execute("SELECT id FROM guarantee_project WHERE name = 'BENCH-TEMPLATE'")
    candidate = env["guarantee.project"].browse(cr.fetchone()[0])
    engine = env["guarantee.regulatory.engine"]
    cr.execute("SELECT count(*) FROM guarantee_project WHERE state = 'active'")
    in_force = cr.fetchone()[0]
    timings = []
    figures = None
    for _run in range(args.runs):
        env.invalidate_all()
        started = time.perf_counter()
        figures = engine.evaluate(candidate)
        timings.append(time.perf_counter() - started)
    rows = len(engine._portfolio_rows(candidate.company_id, candidate))
    print(f"in-force projects: {in_force}, aggregated rows: {rows}")
    print(
        f"liability balance before: {figures['before']['liability']:,.2f}, "
        f"after: {figures['after']['liability']:,.2f}"
    )
    print(
        f"limits check over {args.runs} runs: median {statistics.median(timings) * 1000:.1f} ms, "
        f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms"
    )


def main():
    args = parse_args()
    odoo = boot_odoo(args)
    from odoo import SUPERUSER_ID, api

    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "guarantee.regulatory.engine" not in env:
            sys.exit("guarantee_risk is not installed in %s" % args.database)
        if args.clean:
            clean(env)
            return
        fill(env, args)
        bench(env, args)


if __name__ == "__main__":
    main()
