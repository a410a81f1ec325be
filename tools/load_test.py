#!/usr/bin/env python3
"""Load test: N simulated users of each role over HTTP JSON-RPC (not a test).

Start the server with several workers on a scratch database filled by tools/gen_portfolio.py,
then run the load, bounded in users, requests and seconds:

    python3 -m odoo --addons-path=addons,tests -d limits_perf --db_host 127.0.0.1 -r odoo \
        --http-interface 127.0.0.1 --http-port 8230 --workers 4 --max-cron-threads 0 &
    python3 tools/load_test.py --url http://127.0.0.1:8230 -d limits_perf --total 50 \
        --duration 90

Each user logs in with a demo login of its role (password = login) and loops over what that
role does all day: project managers open their project list and a project form, risk officers
the counter-guarantees and signals, committee members the projects in review, finance invoice a
due fee (an invoice posted) and open the compensations, executives approve a project in review
(a refusal by the regulatory gate is a normal answer, counted apart), administrators the
exposure ledger; executives open the dashboard first. Prints throughput, p50 and p95 latency
per role, per action and in total, and the errors (HTTP failures and server errors other than
a business refusal). With ``--cluster primary=DATADIR --cluster replica=DATADIR`` (servers on
this machine) it also prints how the CPU of the database's backends and the transactions split
between the PostgreSQL servers.
"""

import argparse
import os
import random
import threading
import time
from collections import defaultdict

import requests

LOGINS = {
    "project manager": ("pm1", "pm2"),
    "risk": ("risk",),
    "committee": ("committee1", "committee2", "committee3"),
    "finance": ("finance",),
    "executive": ("executive",),
    "admin": ("gadmin",),
}
PROJECT_LIST = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "amount": {},
    "balance": {},
    "state": {},
    "risk_class": {},
    "date_end": {},
}
PROJECT_FORM = dict(
    PROJECT_LIST,
    liability_balance={},
    own_share={},
    fee_rate={},
    product_id={"fields": {"display_name": {}}},
    manager_id={"fields": {"display_name": {}}},
    next_step_blockers={},
)


class User:
    """One simulated user: a session, its role's steps, its timings."""

    def __init__(self, url, database, role, login, stats, timeout=60):
        self.url, self.database, self.role, self.login = url, database, role, login
        self.timeout = timeout
        self.session = requests.Session()
        self.stats = stats
        self.ids = []

    def call(self, model, method, *args, **kwargs):
        started = time.perf_counter()
        try:
            response = self.session.post(
                f"{self.url}/web/dataset/call_kw/{model}/{method}",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": dict(kwargs, context={"lang": "zh_CN"}),
                    },
                },
                timeout=self.timeout,
            )
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            self.stats.record(self.role, time.perf_counter() - started,
                              f"http: {type(error).__name__}")
            return None
        elapsed = time.perf_counter() - started
        action = f"{model} {method}"
        error = body.get("error")
        if error and "UserError" in error.get("data", {}).get("name", ""):
            self.stats.record(self.role, elapsed, None, refused=True, action=action)
            return None
        self.stats.record(
            self.role, elapsed, error and error.get("data", {}).get("name"), action=action
        )
        return body.get("result")

    def login_(self):
        """Open the session; a first request may wait for its worker to load the registry."""
        try:
            response = self.session.post(
                f"{self.url}/web/session/authenticate",
                json={
                    "jsonrpc": "2.0",
                    "params": {"db": self.database, "login": self.login, "password": self.login},
                },
                timeout=300,
            )
            return bool((response.json().get("result") or {}).get("uid"))
        except (requests.RequestException, ValueError):
            return False

    def list_and_form(self, model, domain, list_spec, form_spec=None):
        result = self.call(
            model,
            "web_search_read",
            domain,
            list_spec,
            limit=80,
            order="id desc",
            count_limit=10001,
        )
        records = (result or {}).get("records") or []
        if records:
            self.call(model, "web_read", [random.choice(records)["id"]], form_spec or list_spec)
        return records

    def step(self):
        if self.role == "project manager":
            self.list_and_form(
                "guarantee.project", [("state", "=", "active")], PROJECT_LIST, PROJECT_FORM
            )
        elif self.role == "risk":
            self.list_and_form(
                "guarantee.collateral", [], {"name": {}, "state": {}, "recognized_value": {}}
            )
            self.list_and_form(
                "guarantee.project", [("risk_class", "!=", "normal")], PROJECT_LIST, PROJECT_FORM
            )
        elif self.role == "committee":
            self.list_and_form(
                "guarantee.project", [("state", "=", "reviewing")], PROJECT_LIST, PROJECT_FORM
            )
        elif self.role == "finance":
            fees = self.list_and_form(
                "guarantee.fee",
                [("state", "=", "due"), ("invoice_id", "=", False)],
                {"amount": {}, "state": {}, "date_due": {}},
            )
            if fees:
                # posts the fee's invoice; a fee another user invoiced first is refused
                self.call("guarantee.fee", "action_create_invoice", [random.choice(fees)["id"]])
            self.list_and_form(
                "guarantee.compensation", [], {"name": {}, "principal": {}, "state": {}}
            )
        elif self.role == "executive":
            # the morning's dashboard (read-only: on the replica when there is one)
            self.call("guarantee.report.figures", "dashboard_data", {})
            records = self.list_and_form(
                "guarantee.project",
                [("state", "=", "reviewing")],
                PROJECT_LIST,
                dict(PROJECT_FORM, limit_party_pct_after={}, limit_breaches={}),
            )
            if records:
                self.call("guarantee.project", "action_approve", [random.choice(records)["id"]])
        else:
            self.list_and_form(
                "guarantee.exposure",
                [("scope", "=", "borrower")],
                {
                    "partner_id": {"fields": {"display_name": {}}},
                    "balance": {},
                    "liability_committed": {},
                },
            )


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.timings = defaultdict(list)
        self.errors = defaultdict(list)
        self.refusals = defaultdict(int)
        self.by_action = defaultdict(list)

    def record(self, role, elapsed, error, refused=False, action=None):
        with self.lock:
            self.timings[role].append(elapsed)
            if action:
                self.by_action[action].append(elapsed)
            if error:
                self.errors[role].append(error)
            if refused:
                self.refusals[role] += 1

    def count(self):
        with self.lock:
            return sum(len(t) for t in self.timings.values())


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else 0.0


def simulated_users(args):
    """(rank within its role, role, logins of the role) of each simulated user: ``--users``
    of each role, or ``--total`` users dealt to the roles in turn."""
    roles = list(LOGINS.items())
    if args.total:
        return [(n // len(roles), *roles[n % len(roles)]) for n in range(args.total)]
    return [(n, role, logins) for role, logins in roles for n in range(args.users)]


def log_in(users):
    """One session per login, opened in parallel (a password check costs a second of CPU),
    shared by the simulated users of that login as by one person's browser tabs."""
    first = {}
    for user in users:
        first.setdefault(user.login, user)
    results = {}
    threads = [
        threading.Thread(target=lambda u=user: results.__setitem__(u.login, u.login_()))
        for user in first.values()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = sorted(login for login in first if not results.get(login))
    if failed:
        raise SystemExit(f"could not log in: {failed}")
    for user in users:
        user.session.cookies.update(first[user.login].session.cookies)


class Cluster:
    """One PostgreSQL cluster serving the load (``--cluster NAME=DATADIR``): the CPU its
    backends of the database spent, from /proc, and the transactions it counted."""

    def __init__(self, spec, database):
        self.name, self.datadir = spec.split("=", 1)
        with open(os.path.join(self.datadir, "postmaster.pid"), encoding="ascii") as handle:
            lines = handle.read().splitlines()
        self.postmaster, self.port = int(lines[0]), int(lines[3])
        self.database = database

    def backend_ticks(self):
        """{pid: user+system clock ticks} of the postmaster's children serving the database."""
        ticks = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    stat = handle.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    title = handle.read().decode(errors="replace")
            except OSError:
                continue
            if int(stat[1]) == self.postmaster and f" {self.database} " in title:
                ticks[int(entry)] = int(stat[11]) + int(stat[12])
        return ticks

    def transactions(self):
        import psycopg2

        with psycopg2.connect(host="127.0.0.1", port=self.port, dbname=self.database,
                              user=os.environ.get("PGUSER", "odoo")) as connection, \
                connection.cursor() as cursor:
            cursor.execute("SELECT xact_commit + xact_rollback, pg_is_in_recovery() "
                           "FROM pg_stat_database WHERE datname = current_database()")
            return cursor.fetchone()

    def start(self):
        self.ticks_before, (self.xacts_before, self.in_recovery) = (
            self.backend_ticks(), self.transactions())

    def stop(self):
        after = self.backend_ticks()
        self.cpu = sum(t - self.ticks_before.get(pid, 0) for pid, t in after.items()) / (
            os.sysconf("SC_CLK_TCK"))
        self.xacts = self.transactions()[0] - self.xacts_before


def process_ticks(root):
    """User+system clock ticks of ``root`` and its children (an Odoo server and its workers),
    the children already reaped included."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                stat = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == root:
            total += sum(int(v) for v in stat[11:15])
        elif int(stat[1]) == root:
            total += int(stat[11]) + int(stat[12])
    return total


def print_clusters(clusters, elapsed):
    total = sum(c.cpu for c in clusters) or 1
    print(f"{'cluster':<10} {'role':<8} {'backend CPU s':>13} {'share':>6} {'cores':>6} "
          f"{'transactions':>12}")
    for c in clusters:
        print(f"{c.name:<10} {'replica' if c.in_recovery else 'primary':<8} {c.cpu:>13.1f} "
              f"{c.cpu / total:>6.0%} {c.cpu / elapsed:>6.2f} {c.xacts:>12}")


def run(args):
    stats = Stats()
    clusters = [Cluster(spec, args.database) for spec in args.cluster]
    users = [
        User(args.url, args.database, role, logins[n % len(logins)], stats, args.timeout)
        for n, role, logins in simulated_users(args)
    ]
    log_in(users)
    deadline = time.monotonic() + args.duration

    def loop(user):
        while time.monotonic() < deadline and stats.count() < args.max_requests:
            user.step()

    for cluster in clusters:
        cluster.start()
    odoo_before = process_ticks(args.odoo_pid) if args.odoo_pid else 0
    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for cluster in clusters:
        cluster.stop()
    odoo_cpu = (process_ticks(args.odoo_pid) - odoo_before) / os.sysconf("SC_CLK_TCK")
    print(f"{len(users)} users, {elapsed:.1f}s")
    print(
        f"{'role':<17} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'refused':>8} {'errors':>7}"
    )
    everything = []
    for role in LOGINS:
        timings = stats.timings[role]
        everything += timings
        print(
            f"{role:<17} {len(timings):>8} {len(timings) / elapsed:>7.1f} "
            f"{percentile(timings, 50) * 1000:>8.0f} {percentile(timings, 95) * 1000:>8.0f} "
            f"{stats.refusals[role]:>8} {len(stats.errors[role]):>7}"
        )
    errors = [e for role in LOGINS for e in stats.errors[role]]
    print(
        f"{'total':<17} {len(everything):>8} {len(everything) / elapsed:>7.1f} "
        f"{percentile(everything, 50) * 1000:>8.0f} {percentile(everything, 95) * 1000:>8.0f} "
        f"{sum(stats.refusals.values()):>8} {len(errors):>7}"
    )
    print(f"{'action':<44} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for action, timings in sorted(stats.by_action.items()):
        print(
            f"{action:<44} {len(timings):>8} {percentile(timings, 50) * 1000:>8.0f} "
            f"{percentile(timings, 95) * 1000:>8.0f}"
        )
    if errors:
        print("errors:", {e: errors.count(e) for e in set(errors)})
    if clusters:
        print_clusters(clusters, elapsed)
    if args.odoo_pid:
        print(f"Odoo server and workers: {odoo_cpu:.1f} CPU s ({odoo_cpu / elapsed:.2f} cores)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--users", type=int, default=10, help="simulated users per role")
    parser.add_argument(
        "--total", type=int, help="simulated users in all, dealt to the roles in turn"
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds, at most")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--odoo-pid", type=int,
                        help="the Odoo server's process id (on this machine): prints its CPU")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds a request may take before it counts as an error")
    parser.add_argument(
        "--cluster", action="append", default=[], metavar="NAME=DATADIR",
        help="a PostgreSQL cluster serving the database (its data directory, on this "
        "machine): prints the CPU of its backends of the database and its transactions",
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
