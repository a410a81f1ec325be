#!/usr/bin/env python3
"""Benchmark of the registry watch of in-force customers (not a test).

Puts N customers in force in a scratch database (SQL copies of one customer and one project),
serves their profiles from a local provider on 127.0.0.1, and runs the watch twice the way the
queue runs it: in batches, one transaction each. The first round records the baseline
snapshots, the second finds the changes of 1% of the customers (new legal representative).
Prints the time of each round, the signals raised and the peak memory of the process.

    python3 tools/bench_watch.py -d conn_bench --db_host 127.0.0.1 -r odoo \
        --addons-path addons,tests --customers 10000 --batch 200

The database must have guarantee_risk installed; the bench rows are deleted at the end.
"""

import argparse
import json
import os
import resource
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from perf_common import boot_odoo, copy_rows  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--db_host", default=None)
    parser.add_argument("--db_port", default=None)
    parser.add_argument("-r", "--db_user", default=None)
    parser.add_argument("-w", "--db_password", default=None)
    parser.add_argument("--addons-path", default="addons,tests")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    return parser.parse_args()


class ProviderHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    changed = False

    def do_GET(self):
        uscc = self.path.rsplit("/", 1)[-1]
        number = int(uscc[-8:])
        legal = "新法人" if self.changed and number % 100 == 0 else "原法人"
        body = json.dumps({
            "name": "Bench watch %d" % number, "legal_representative": legal,
            "registered_capital": 1000000, "address": "杭州市", "shareholders": ["甲", "乙"],
            "tax_credit_grade": "A", "lawsuits": [],
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        return


def fill(env, args, provider_url):
    cr = env.cr
    company = env.company
    product = env["guarantee.product"].search(
        [("company_id", "in", [company.id, False])], limit=1
    ) or env["guarantee.product"].create(
        {"name": "Bench watch", "code": "BENCHW", "business_type": "loan"}
    )
    partner = env["res.partner"].create({"name": "Bench watch template", "is_company": True,
                                         "is_guarantee_customer": True})
    project = env["guarantee.project"].create({
        "partner_id": partner.id, "product_id": product.id, "amount": 1_000_000,
        "term_months": 12, "date_start": "2026-01-01", "name": "BENCHW-TEMPLATE",
    })
    env.flush_all()
    copy_rows(cr, "res_partner", partner.id, args.customers, {
        "name": "'Bench watch ' || i", "complete_name": "'Bench watch ' || i",
        "uscc": "'BW' || lpad(i::text, 16, '0')", "guarantee_watch_date": "NULL",
    })
    cr.execute("CREATE TEMP TABLE bench_watch AS SELECT row_number() OVER (ORDER BY id) AS n, id "
               "FROM res_partner WHERE name LIKE 'Bench watch %%' AND uscc LIKE 'BW%%'")
    copy_rows(cr, "guarantee_project", project.id, args.customers, {
        "name": "'BENCHW-' || lpad(i::text, 6, '0')",
        "partner_id": "(SELECT id FROM bench_watch WHERE n = i)",
        "state": "'active'", "credit_line_id": "NULL",
    })
    provider = env["guarantee.data.provider"].create({
        "name": "Bench provider", "base_url": provider_url, "timeout": 5, "max_retries": 1,
        "sequence": -1,
    })
    env["guarantee.warning.rule"].create({
        "name": "Bench rule", "signal_type": "legal_rep_change", "severity": "high",
        "response_days": 3, "by_email": False,
    })
    cr.commit()
    return provider


def watch_round(env, provider):
    """Every due customer, batch by batch, one transaction per batch (as the queue jobs)."""
    Partner = env["res.partner"].sudo()
    targets = Partner._guarantee_watch_targets(env.company)
    due = Partner.search([("id", "in", targets), ("uscc", "=like", "BW%")]).ids
    started = time.perf_counter()
    for start in range(0, len(due), ARGS.batch):
        Partner._guarantee_watch_batch(provider.id, due[start:start + ARGS.batch])
        env.cr.commit()
        env.invalidate_all()
        env.transaction.clear()
    return len(due), time.perf_counter() - started


def clean(env):
    cr = env.cr
    cr.execute("DELETE FROM guarantee_risk_signal WHERE provider_id IN "
               "(SELECT id FROM guarantee_data_provider WHERE name = 'Bench provider')")
    cr.execute("DELETE FROM guarantee_project WHERE name LIKE 'BENCHW-%%'")
    cr.execute("DELETE FROM res_partner WHERE name LIKE 'Bench watch %%'")
    cr.execute("DELETE FROM guarantee_connector_call_log WHERE connector_name = 'Bench provider'")
    cr.execute("DELETE FROM guarantee_data_provider WHERE name = 'Bench provider'")
    cr.execute("DELETE FROM guarantee_warning_rule WHERE name->>'en_US' = 'Bench rule'")
    cr.commit()


def main():
    odoo = boot_odoo(ARGS)
    server = ThreadingHTTPServer(("127.0.0.1", 0), ProviderHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d" % server.server_address[1]
    registry = odoo.modules.registry.Registry(ARGS.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            provider = fill(env, ARGS, url)
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            count, first = watch_round(env, provider)
            ProviderHandler.changed = True
            cr.execute("UPDATE res_partner SET guarantee_watch_date = NULL "
                       "WHERE name LIKE 'Bench watch %%'")
            cr.commit()
            _count, second = watch_round(env, provider)
            signals = env["guarantee.risk.signal"].search_count(
                [("provider_id", "=", provider.id)])
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"customers in force watched: {count} (batches of {ARGS.batch})")
            print(f"round 1 (baseline snapshots): {first:.1f}s, {count / first:.0f}/s")
            print(f"round 2 (1% changed): {second:.1f}s, {signals} signals raised")
            print(f"peak RSS: {rss_after / 1024:.0f} MiB "
                  f"(grew {(rss_after - rss_before) / 1024:.0f} MiB during the watch)")
        finally:
            cr.rollback()
            clean(env)
            server.shutdown()


if __name__ == "__main__":
    ARGS = parse_args()
    main()
