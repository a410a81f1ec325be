#!/usr/bin/env python3
"""Fill a scratch database with a realistic guarantee portfolio by bulk SQL (not a test).

    python3 tools/gen_portfolio.py -d limits_perf --db_host 127.0.0.1 -r odoo --projects 100000

The database must have the guarantee addons installed with their demo data: each generated
table copies one demo row as a template (so every NOT NULL column is filled) and overrides what
makes the portfolio: customers across industries, regions, scales and related groups; projects
in every state with plausible amounts, dates, shares and risk classes, for the demo project
managers; counter-guarantees, fees, compensations and recoveries; daily balance snapshots
when the model exists; then the exposure ledger rebuilt and the tables analysed. Generated rows
are named GEN-…; ``--clean`` deletes them. 1,000,000 projects load in minutes.
"""

import datetime
import sys
import time

from perf_common import boot_odoo, environment, parser

# State mix of a mature portfolio: (state, share in %).
STATE_MIX = [
    ("draft", 3),
    ("accepted", 2),
    ("investigating", 3),
    ("reviewing", 3),
    ("approved", 2),
    ("rejected", 2),
    ("contracted", 2),
    ("active", 50),
    ("released", 25),
    ("compensated", 3),
    ("closed", 2),
    ("cancelled", 3),
]
# Business mix: 70% loans, 10% bonds, 8% other financing, 7% housing, 5% non-financing.
TYPE_MIX = [
    ("loan", 70),
    ("bond", 10),
    ("other_financing", 8),
    ("housing", 7),
    ("non_financing", 5),
]


def mix_case(mix, variable):
    """An SQL CASE picking a value of ``mix`` from ``variable`` (0..99)."""
    parts, bound = [], 0
    for value, share in mix:
        bound += share
        parts.append(f"WHEN {variable} < {bound} THEN '{value}'")
    return "(CASE " + " ".join(parts) + " END)"


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name != 'id' ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def nullable_money_links(cr, table):
    """Columns of ``table`` pointing at journal entries, payment orders or invoices: a
    generated row has none of them."""
    cr.execute(
        """
        SELECT a.attname
          FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
         WHERE c.contype = 'f' AND c.conrelid = %s::regclass
           AND c.confrelid::regclass::text IN ('account_move', 'account_move_line',
               'account_payment', 'guarantee_payment_order', 'guarantee_contract',
               'guarantee_collateral', 'guarantee_credit_line', 'guarantee_compensation',
               'crm_lead', 'guarantee_review', 'guarantee_contract_template')
           AND NOT a.attnotnull
        """,
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def sql_array(values):
    return "(ARRAY[%s])" % ",".join(str(value) for value in values)


def clone(cr, table, source, overrides, template_where="TRUE"):
    """INSERT one copy of the template row of ``table`` (the first matching
    ``template_where``) per row of ``source`` (an SQL query aliased ``s``); ``overrides`` maps a
    column to an SQL expression over ``s`` and ``t``. Executed without parameters, so ``%`` is
    a plain modulo."""
    cr.execute(f"SELECT id FROM {table} WHERE {template_where} ORDER BY id LIMIT 1")
    template = cr.fetchone()
    if not template:
        print(f"  {table}: no demo row to copy, skipped")
        return 0
    overrides = dict(dict.fromkeys(nullable_money_links(cr, table), "NULL"), **overrides)
    cols = columns(cr, table)
    select = ", ".join(overrides.get(col, f"t.{col}") for col in cols)
    cr.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) "
        f"SELECT {select} FROM {table} t, ({source}) AS s WHERE t.id = {template[0]}"
    )
    return cr.rowcount


def table_exists(cr, table):
    cr.execute("SELECT to_regclass(%s)", (table,))
    return cr.fetchone()[0] is not None


def ids(env, model, domain, limit=None):
    return env[model].search(domain, limit=limit).ids or [0]


def product_id_for(env, company, business_type):
    Product = env["guarantee.product"]
    return (
        Product.search(
            [("business_type", "=", business_type), ("company_id", "in", (company.id, False))],
            limit=1,
        )
        or Product.create(
            {
                "name": f"GEN-{business_type}",
                "code": f"GEN-{business_type}",
                "business_type": business_type,
                "company_id": company.id,
            }
        )
    ).id


def overdue_tasks(env, company, managers):
    """A to-do past its deadline on 2% of the projects in force (1 to 40 days late, so some
    are beyond the escalation days), for the nightly reminders."""
    cr = env.cr
    cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id,
               summary, date_deadline, user_id, automated, active, create_uid, create_date,
               write_uid, write_date)
        SELECT %(model)s, 'guarantee.project', p.id, p.name, %(todo)s, 'GEN-补充资料',
               current_date - (1 + p.id %% 40), (%(managers)s::int[])[1 + p.id %% %(count)s],
               FALSE, TRUE, 1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM guarantee_project p
         WHERE p.name LIKE 'GEN-%%' AND p.state = 'active' AND p.company_id = %(company)s
           AND p.id %% 50 = 0
        """,
        {
            "model": env["ir.model"]._get_id("guarantee.project"),
            "todo": env.ref("mail.mail_activity_data_todo").id,
            "managers": managers,
            "count": len(managers),
            "company": company.id,
        },
    )
    return cr.rowcount


def fill(env, args):
    cr = env.cr
    company = env.ref("base.demo_company_cn", raise_if_not_found=False) or env.company
    managers = ids(env, "res.users", [("login", "in", ("pm1", "pm2"))])
    industries = ids(env, "res.partner.industry", [])
    provinces = ids(env, "res.country.state", [("country_id.code", "=", "CN")])
    products = {bt: product_id_for(env, company, bt) for bt, _share in TYPE_MIX}
    groups = (
        env["guarantee.related.group"]
        .create([{"name": f"GEN-集团{n:04d}", "company_id": company.id} for n in range(100)])
        .ids
    )
    env.flush_all()
    borrowers = max(args.projects // 4, 10)
    started = time.perf_counter()

    def step(label, count):
        print(f"  {label}: {count:,} rows, {time.perf_counter() - started:.1f}s")

    step(
        "customers",
        clone(
            cr,
            "res_partner",
            f"SELECT i FROM generate_series(1, {borrowers}) AS i",
            {
                "name": "'GEN-客户' || s.i",
                "complete_name": "'GEN-客户' || s.i",
                "uscc": "'GEN' || lpad(s.i::text, 15, '0')",
                "is_company": "(s.i % 10 != 0)",
                "is_agricultural": "(s.i % 10 = 0 OR s.i % 17 = 0)",
                "is_guarantee_customer": "TRUE",
                "enterprise_scale": "(ARRAY['small','micro','medium','large'])[1 + s.i % 4]",
                "industry_id": f"{sql_array(industries)}[1 + s.i % {len(industries)}]",
                "state_id": f"{sql_array(provinces)}[1 + (s.i * 7) % {len(provinces)}]",
                "related_group_id": f"(CASE WHEN s.i % 50 = 0 THEN "
                f"{sql_array(groups)}[1 + s.i / 50 % 100] END)",
                "company_id": "NULL",
                "parent_id": "NULL",
                "user_id": f"{sql_array(managers)}[1 + s.i % {len(managers)}]",
                "active": "TRUE",
            },
            template_where="is_guarantee_customer AND is_company AND parent_id IS NULL",
        ),
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'GEN-客户%'")
    cr.execute(
        "CREATE TEMP TABLE gen_borrower AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id "
        "FROM res_partner WHERE name LIKE 'GEN-客户%'"
    )
    cr.execute("CREATE UNIQUE INDEX ON gen_borrower (n)")
    kind = mix_case(TYPE_MIX, "(s.i * 13) % 100")
    state = mix_case(STATE_MIX, "(s.i * 37) % 100")
    amount = "(100000 + (s.i * 7919) % 9900000)::numeric"
    own_share = "(CASE WHEN s.i % 5 = 0 THEN 50 WHEN s.i % 7 = 0 THEN 80 ELSE 100 END)"
    started_on = "('2023-01-01'::date + ((s.i * 11) % 1400)::int)"
    released = (
        "(CASE WHEN s.st IN ('active', 'released', 'compensated', 'closed') THEN s.amount END)"
    )
    repaid = (
        "(CASE WHEN s.st = 'active' THEN round(s.amount * ((s.i % 4) * 0.2), 2) "
        "WHEN s.st IN ('released', 'closed', 'compensated') THEN s.amount ELSE 0 END)"
    )
    outstanding = f"(CASE WHEN s.st = 'active' THEN {released} - {repaid} ELSE 0 END)"
    balance = f"round({outstanding} * s.share / 100, 2)"
    product = (
        "(CASE "
        + " ".join(f"WHEN s.kind = '{bt}' THEN {pid}" for bt, pid in products.items())
        + " END)"
    )
    source = (
        f"SELECT i, {kind} AS kind, {state} AS st, {amount} AS amount, {own_share} AS share, "
        f"{started_on} AS started FROM generate_series(1, {args.projects}::bigint) AS i"
    ).replace("s.i", "i")
    step(
        "projects",
        clone(
            cr,
            "guarantee_project",
            source,
            {
                "name": "'GEN-' || lpad(s.i::text, 7, '0')",
                "company_id": str(company.id),
                "currency_id": str(company.currency_id.id),
                "partner_id": f"(SELECT id FROM gen_borrower WHERE n = (s.i * 31) % {borrowers})",
                "product_id": product,
                "business_type": "s.kind",
                "issuer_rating": "(CASE WHEN s.kind = 'bond' THEN "
                "(ARRAY['AAA','AA+','AA','AA-','A+'])[1 + s.i % 5] END)",
                "amount": "s.amount",
                "own_share": "s.share",
                "state": "s.st",
                "term_months": "(ARRAY[6, 12, 12, 24, 36])[1 + s.i % 5]",
                "date_start": "s.started",
                "date_end": "(s.started + interval '12 months')::date",
                "loan_release_date": f"(CASE WHEN {released} IS NOT NULL THEN s.started END)",
                "loan_amount_released": f"COALESCE({released}, 0)",
                "principal_repaid": repaid,
                "outstanding_principal": outstanding,
                "balance": balance,
                "liability_balance": (
                    f"(CASE WHEN s.kind = 'non_financing' THEN 0 ELSE {balance} END)"
                ),
                "risk_class": (
                    "(CASE WHEN s.st <> 'active' THEN 'normal' ELSE (ARRAY['normal','normal',"
                    "'normal','normal','normal','normal','special','special','substandard',"
                    "'doubtful','loss'])[1 + s.i % 11] END)"
                ),
                "is_non_performing": "(s.st = 'active' AND s.i % 11 >= 8)",
                "manager_id": f"{sql_array(managers)}[1 + s.i % {len(managers)}]",
                "assistant_id": f"{sql_array(managers)}[1 + (s.i + 1) % {len(managers)}]",
                "date_released": (
                    "(CASE WHEN s.st IN ('released', 'closed') THEN s.started + 365 END)"
                ),
                "credit_line_id": "NULL",
                "active": "TRUE",
                "date_state": "now() at time zone 'UTC'",
            },
        ),
    )
    gen = (
        "SELECT id, partner_id, amount, own_share, state, date_start, company_id, "
        "loan_amount_released FROM guarantee_project WHERE name LIKE 'GEN-%'"
    )
    step(
        "counter-guarantees",
        clone(
            cr,
            "guarantee_collateral",
            gen + " AND state IN ('contracted', 'active', 'released') AND id % 3 != 0",
            {
                "project_id": "s.id",
                "company_id": "s.company_id",
                "name": "'GEN-抵押物' || s.id",
                "appraised_value": "s.amount * 1.2",
                "recognized_value": "s.amount * 0.7",
                "state": "(CASE WHEN s.state = 'released' THEN 'released' ELSE 'registered' END)",
                # expiries spread over the years after the start, as in a real portfolio
                "registration_expiry": "s.date_start + 730 + s.id % 730",
                "insurance_expiry": "s.date_start + 365 + s.id % 730",
            },
        ),
    )
    if table_exists(cr, "guarantee_fee"):
        step(
            "fees",
            clone(
                cr,
                "guarantee_fee",
                gen + " AND state IN ('contracted', 'active', 'released', 'compensated', 'closed')",
                {
                    "project_id": "s.id",
                    "company_id": "s.company_id",
                    "amount": "round(s.amount * 0.015, 2)",
                    "date_from": "s.date_start",
                    "date_to": "s.date_start + 364",
                    "date_due": "s.date_start",
                    "state": "(CASE WHEN s.id % 9 = 0 THEN 'due' ELSE 'paid' END)",
                },
            ),
        )
    if table_exists(cr, "guarantee_compensation"):
        step(
            "compensations",
            clone(
                cr,
                "guarantee_compensation",
                gen + " AND state IN ('compensated', 'closed')",
                {
                    "project_id": "s.id",
                    "company_id": "s.company_id",
                    "name": "'GEN-DC' || s.id",
                    "principal": "round(s.loan_amount_released * 0.6, 2) + 1",
                    "interest": "0",
                    "demand_date": "s.date_start + 300",
                    "state": "'paid'",
                },
            ),
        )
        step(
            "recoveries",
            clone(
                cr,
                "guarantee_recovery",
                gen + " AND state = 'closed'",
                {
                    "project_id": "s.id",
                    "company_id": "s.company_id",
                    "name": "'GEN-ZC' || s.id",
                    "amount": "round(s.loan_amount_released * 0.3, 2) + 1",
                    "date": "s.date_start + 500",
                    "state": "'posted'",
                },
            ),
        )
    step("overdue project tasks", overdue_tasks(env, company, managers))
    if "guarantee.balance.snapshot" in env:
        # the model's own snapshot, once per day (balances as they are now): one row per
        # project in force, valid from the first day (nothing changes between the days)
        env.invalidate_all()
        today = datetime.date.today()
        days = {today - datetime.timedelta(days_ago) for days_ago in range(args.snapshot_days)}
        # the last day of last month too: the monthly reserve run provisions from it
        days.add(today.replace(day=1) - datetime.timedelta(1))
        for day in sorted(days):
            env["guarantee.balance.snapshot"]._take_snapshot(day)
        cr.execute("SELECT count(*) FROM guarantee_balance_snapshot")
        step("snapshot rows (validity ranges of the projects in force)", cr.fetchone()[0])
    env.invalidate_all()
    # the aggregates kept by the ORM's writes, rebuilt after the bulk SQL above
    for model in ("guarantee.position.aggregate", "guarantee.flow.aggregate"):
        if model in env:
            env[model]._rebuild_all()
            step(f"{model} rebuilt", env[model].search_count([]))
    differences = env["guarantee.exposure"]._recompute_all()
    step("exposure ledger rebuilt", len(differences))
    for table in (
        "res_partner",
        "guarantee_project",
        "guarantee_collateral",
        "guarantee_fee",
        "guarantee_compensation",
        "guarantee_recovery",
        "guarantee_balance_snapshot",
        "guarantee_exposure",
        "guarantee_position_aggregate",
        "guarantee_position_party",
        "guarantee_flow_aggregate",
    ):
        if table_exists(cr, table):
            cr.execute(f"ANALYZE {table}")
    cr.commit()
    print(f"generated {args.projects:,} projects in {time.perf_counter() - started:.1f}s")


def clean(env):
    cr = env.cr
    cr.execute(
        "DELETE FROM mail_activity WHERE res_model = 'guarantee.project' AND res_id IN "
        "(SELECT id FROM guarantee_project WHERE name LIKE 'GEN-%')"
    )
    for table in (
        "guarantee_balance_snapshot",
        "guarantee_recovery",
        "guarantee_compensation",
        "guarantee_fee",
        "guarantee_collateral",
    ):
        if table_exists(cr, table):
            cr.execute(
                f"DELETE FROM {table} WHERE project_id IN "
                "(SELECT id FROM guarantee_project WHERE name LIKE 'GEN-%')"
            )
    cr.execute("DELETE FROM guarantee_project WHERE name LIKE 'GEN-%'")
    cr.execute(
        "DELETE FROM guarantee_exposure WHERE partner_id IN "
        "(SELECT id FROM res_partner WHERE name LIKE 'GEN-%')"
    )
    cr.execute("DELETE FROM res_partner WHERE name LIKE 'GEN-%'")
    cr.execute("DELETE FROM guarantee_related_group WHERE name LIKE 'GEN-%'")
    env["guarantee.exposure"]._recompute_all()
    cr.commit()
    print("generated data deleted")


def main():
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--projects", type=int, default=10_000)
    arguments.add_argument(
        "--snapshot-days",
        type=int,
        default=2,
        help="days of balance snapshots of the projects in force",
    )
    arguments.add_argument("--clean", action="store_true", help="delete generated data and exit")
    args = arguments.parse_args()
    odoo = boot_odoo(args)
    _registry, open_env = environment(odoo, args)
    env = open_env()
    with env.cr:
        if "guarantee.exposure" not in env:
            sys.exit("guarantee_risk is not installed in %s" % args.database)
        if args.clean:
            clean(env)
            return
        fill(env, args)


if __name__ == "__main__":
    main()
