"""What the performance commands in tools/ share: the command line, booting Odoo on a database,
timing a callable. Not a test helper: the commands are run by hand on scratch databases."""

import argparse
import os
import statistics
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parser(description):
    result = argparse.ArgumentParser(description=description)
    result.add_argument("-d", "--database", required=True)
    result.add_argument("--db_host", default=None)
    result.add_argument("--db_port", default=None)
    result.add_argument("-r", "--db_user", default=None)
    result.add_argument("-w", "--db_password", default=None)
    result.add_argument("--addons-path", default="addons,tests")
    return result


def boot_odoo(args):
    """Configure Odoo for ``args.database``; returns the odoo package."""
    import odoo

    options = [
        "-d",
        args.database,
        "--addons-path",
        ",".join(
            p if os.path.isabs(p) else os.path.join(ROOT, p) for p in args.addons_path.split(",")
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


def environment(odoo, args):
    """A registry and a function opening a superuser environment on a new cursor."""
    from odoo import SUPERUSER_ID, api

    registry = odoo.modules.registry.Registry(args.database)

    def open_env(uid=SUPERUSER_ID, context=None):
        cr = registry.cursor()
        return api.Environment(cr, uid, context or {})

    return registry, open_env


def median_ms(function, runs, before=None):
    """Median wall time of ``function()`` in milliseconds over ``runs`` runs (``before()``
    runs untimed before each, e.g. to empty the ORM cache)."""
    timings = []
    result = None
    for _run in range(runs):
        if before:
            before()
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def copy_rows(cr, table, template_id, count, overrides):
    """INSERT ``count`` copies of row ``template_id`` of ``table``; ``overrides`` maps a column
    to an SQL expression of ``i`` (1..count)."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name != 'id' ORDER BY ordinal_position",
        (table,),
    )
    cols = [row[0] for row in cr.fetchall()]
    select = ", ".join(overrides.get(col, col) for col in cols).replace("%", "%%")
    cr.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) "
        f"SELECT {select} FROM {table}, generate_series(1, %s) AS i WHERE {table}.id = %s",
        (count, template_id),
    )
