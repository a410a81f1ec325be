#!/usr/bin/env python3
"""Time the nightly balance snapshot with a share of the projects in force changed (not a test).

Each run is a transaction rolled back: today's run is first undone (untimed: today's rows of a
one-row-per-day snapshot, or today's run record of the validity ranges), ``--changed`` of the
projects in force get a new balance by SQL (a repayment recorded behind the ORM, so that only
the snapshot's own cost is timed), then ``_cron_take_snapshot`` runs. Prints the median wall
time, the part spent writing the day's portfolio aggregates, and the rows written.

    python3 tools/bench_snapshot.py -d perf_db --db_host 127.0.0.1 -r odoo --changed 0.01
"""

import datetime
import statistics
import time

from perf_common import boot_odoo, environment, parser


def main():
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--runs", type=int, default=3)
    arguments.add_argument("--changed", type=float, action="append",
                           help="share of the projects in force changed (repeatable)")
    args = arguments.parse_args()
    odoo = boot_odoo(args)
    _registry, open_env = environment(odoo, args)
    env = open_env()
    today = datetime.date.today()
    with env.cr:
        cr = env.cr
        cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = "
                   "'guarantee_balance_snapshot' AND column_name = 'date'")
        daily_rows = bool(cr.fetchone())
        cr.execute("SELECT count(*) FILTER (WHERE state = 'active' AND active), count(*) "
                   "FROM guarantee_project")
        in_force, total = cr.fetchone()
        cr.execute("SELECT count(*) FROM guarantee_balance_snapshot")
        print(f"projects: {total:,}, in force: {in_force:,}, snapshot rows: "
              f"{cr.fetchone()[0]:,} ({'one per project and day' if daily_rows else 'ranges'})")
        Aggregate = env.registry["guarantee.position.aggregate"]
        write_day = Aggregate._write_day
        for share in args.changed or [0.0, 0.01]:
            timings, aggregates, written = [], [], 0
            for _run in range(args.runs):
                if daily_rows:
                    cr.execute("DELETE FROM guarantee_balance_snapshot WHERE date = %s", [today])
                cr.execute("DELETE FROM guarantee_balance_snapshot_run WHERE date = %s", [today])
                cr.execute(
                    "UPDATE guarantee_project SET balance = balance - 1, "
                    "liability_balance = liability_balance - 1 WHERE id IN ("
                    "SELECT id FROM guarantee_project WHERE state = 'active' AND active "
                    "ORDER BY random() LIMIT %s)",
                    [round(in_force * share)],
                )
                cr.execute("SELECT count(*), COALESCE(max(id), 0) FROM guarantee_balance_snapshot")
                rows_before, max_id = cr.fetchone()
                env.invalidate_all()
                spent = []

                def timed_write_day(self, *a, _spent=spent, **kw):
                    started = time.perf_counter()
                    result = write_day(self, *a, **kw)
                    _spent.append((time.perf_counter() - started) * 1000)
                    return result

                Aggregate._write_day = timed_write_day
                try:
                    started = time.perf_counter()
                    env["guarantee.balance.snapshot"]._cron_take_snapshot()
                    timings.append((time.perf_counter() - started) * 1000)
                finally:
                    Aggregate._write_day = write_day
                aggregates.append(sum(spent))
                cr.execute("SELECT count(*) FROM guarantee_balance_snapshot WHERE id > %s",
                           [max_id])
                written = cr.fetchone()[0]
                cr.rollback()
            print(f"{share:>6.1%} changed: {statistics.median(timings):>9,.0f} ms "
                  f"(of which the day's aggregates {statistics.median(aggregates):,.0f} ms), "
                  f"{written:,} rows inserted (before: {rows_before:,})")


if __name__ == "__main__":
    main()
