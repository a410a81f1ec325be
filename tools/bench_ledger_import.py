#!/usr/bin/env python3
"""Benchmark of the ledger import (台账导入), not a test.

Generates a ledger of N rows (the same generator as the tests), then times the check (dry run)
and the import of a first and a second pass (the second must change nothing). Everything is
rolled back at the end.

    python3 tools/bench_ledger_import.py -d data_bench --db_host 127.0.0.1 -r odoo \
        --addons-path addons,tests --rows 5000

The database must have guarantee_accounting installed. ``--profile`` prints the top of a
cProfile of the first import.
"""

import argparse
import cProfile
import os
import pstats
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
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    return parser.parse_args()


def boot_odoo(args):
    import odoo

    options = ["-d", args.database, "--addons-path", ",".join(
        os.path.join(ROOT, p) if not os.path.isabs(p) else p for p in args.addons_path.split(",")
    )]
    for flag, value in (("--db_host", args.db_host), ("--db_port", args.db_port),
                        ("-r", args.db_user), ("-w", args.db_password)):
        if value:
            options += [flag, value]
    odoo.tools.config.parse_config(options)
    return odoo


def timed(label, function):
    start = time.perf_counter()
    result = function()
    print("%-32s %8.1f s" % (label, time.perf_counter() - start))
    return result


def main():
    args = parse_args()
    odoo = boot_odoo(args)
    from odoo.addons.guarantee_accounting.tools import ledger_sample as ledger_factory

    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        product = env["guarantee.product"].create(
            {"name": "基准贷款担保", "code": "BENCH-IMPORT", "business_type": "loan"}
        )
        bank = env["res.partner"].create({"name": "基准银行", "is_company": True})
        rows = ledger_factory.ledger_rows(args.rows, product.name, bank.name, prefix="BENCH")
        data = ledger_factory.ledger_xlsx(rows)
        for attempt in ("first", "second"):
            wizard = env["guarantee.import.wizard"].create(
                {"file": data, "filename": "bench.xlsx"}
            )
            timed("%s check (%s rows)" % (attempt, args.rows), wizard.action_check)
            log = wizard.log_id
            profiler = cProfile.Profile() if args.profile and attempt == "first" else None
            if profiler:
                profiler.enable()
            counts = timed("%s import" % attempt, log._run_import)
            if profiler:
                profiler.disable()
                order = os.environ.get("BENCH_SORT", "cumulative")
                pstats.Stats(profiler).sort_stats(order).print_stats(40)
            print("   ", counts)
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
