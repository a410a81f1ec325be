"""The transaction boundary of a payment order, with real commits and a real kill -9.

A real Odoo process (payment_order_process.py) sends an order to a bank on 127.0.0.1 that books
the payment and then hangs; the process is killed with SIGKILL while it waits. The order must
already be committed as "sent" (so "sent" and the call are never in one transaction); a restarted
process resumes it with the same request id and the bank holds one payment.

The processes work on a copy of the test database (pg_dump | psql), dropped at the end with
everything the test started.
"""

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time

from odoo import sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer

from .test_bank_connectors import FakeBank

_logger = logging.getLogger(__name__)
SCRIPT = os.path.join(os.path.dirname(__file__), "payment_order_process.py")


class HangingBank(FakeBank):
    """Books the first transfer of a request id, then does not answer until released."""

    def __init__(self):
        super().__init__()
        self.booked = threading.Event()
        self.release = threading.Event()

    def transfer(self, request_id, amount):
        answer = super().transfer(request_id, amount)
        if not self.booked.is_set():
            self.booked.set()
            self.release.wait(90)
        return answer


@tagged("post_install", "-at_install")
class TestPaymentOrderCrash(TransactionCase):
    def _pg_env(self):
        env = dict(os.environ)
        for key, variable in (("db_host", "PGHOST"), ("db_port", "PGPORT"),
                              ("db_user", "PGUSER"), ("db_password", "PGPASSWORD")):
            if config.get(key):
                env[variable] = str(config[key])
        return env

    def _odoo_options(self):
        options = ["--addons-path", config["addons_path"], "--data-dir", config["data_dir"]]
        for flag, key in (("--db_host", "db_host"), ("--db_port", "db_port"),
                          ("-r", "db_user"), ("-w", "db_password")):
            if config.get(key):
                options += [flag, str(config[key])]
        return options + ["--log-level", "warn"]

    def _copy_database(self):
        copy = "%s_crash_%s" % (self.env.cr.dbname, os.getpid())
        self._drop(copy)
        self.addCleanup(self._drop, copy)
        env = self._pg_env()
        subprocess.run(["createdb", copy], check=True, env=env, timeout=60)
        dump = subprocess.Popen(["pg_dump", "--no-owner", self.env.cr.dbname],
                                stdout=subprocess.PIPE, env=env)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", copy],
                       stdin=dump.stdout, stdout=subprocess.DEVNULL, check=True, env=env,
                       timeout=120)
        dump.stdout.close()
        self.assertEqual(dump.wait(timeout=60), 0)
        return copy

    def _drop(self, dbname):
        sql_db.close_db(dbname)
        with sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = %s", [dbname])
            cr.execute('DROP DATABASE IF EXISTS "%s"' % dbname)

    def _process(self, phase, database, url):
        process = subprocess.Popen(
            [sys.executable, SCRIPT, phase, database, url, *self._odoo_options()],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )
        self.addCleanup(self._kill, process)
        return process

    @staticmethod
    def _kill(process):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        for stream in (process.stdout, process.stderr):
            stream.close()

    def _run(self, phase, database, url):
        process = self._process(phase, database, url)
        out, err = process.communicate(timeout=90)
        self.assertEqual(process.returncode, 0, err[-3000:])
        return out

    @staticmethod
    def _wait_for_the_dead_transaction(database):
        """PostgreSQL ends the killed process's transaction (and its row lock) once it sees
        the connection closed."""
        deadline = time.monotonic() + 20
        with sql_db.db_connect("postgres").cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                           "AND state LIKE 'idle in transaction%%'", [database])
                if not cr.fetchone()[0]:
                    return
                time.sleep(0.2)

    @staticmethod
    def _committed_order(database, order_id):
        with sql_db.db_connect(database).cursor() as cr:
            cr.execute("SELECT state, request_id, attempt_count FROM guarantee_payment_order "
                       "WHERE id = %s", [order_id])
            return cr.fetchone()

    def test_a_killed_server_leaves_the_order_sent_and_a_restart_pays_it_once(self):
        start = time.monotonic()
        bank = HangingBank()
        with JsonServer(bank.rest) as server:
            self.addCleanup(bank.release.set)
            copy = self._copy_database()
            sender = self._process("send", copy, server.url)
            line = sender.stdout.readline()
            self.assertRegex(line, r"ORDER \d+ \w+", sender.stderr.read()[-3000:] if not line
                             else line)
            order_id, request_id = re.search(r"ORDER (\d+) (\w+)", line).groups()
            order_id = int(order_id)
            self.assertTrue(bank.booked.wait(60), "the bank never received the transfer")
            # the bank has booked and hangs; the sender waits for its answer
            state, committed_id, attempts = self._committed_order(copy, order_id)
            self.assertEqual((state, committed_id, attempts), ("sent", request_id, 1),
                             "'sent' is committed before the bank is called")
            os.killpg(sender.pid, signal.SIGKILL)
            sender.wait(timeout=30)
            self.assertEqual(sender.returncode, -signal.SIGKILL)
            bank.release.set()
            self._wait_for_the_dead_transaction(copy)
            self.assertEqual(self._committed_order(copy, order_id)[0], "sent",
                             "the trace survives the kill")

            out = self._run("resume", copy, server.url)
            self.assertIn("STATE done", out)
            self.assertEqual(bank.payments, {request_id: 512_000.0}, "one payment")
            self.assertEqual(self._committed_order(copy, order_id)[:2], ("done", request_id))
            posts = [r for r in server.requests if r["method"] == "POST"]
            self.assertEqual(len(posts), 1, "resumed by a status query, not sent again")
            with sql_db.db_connect(copy).cursor() as cr:
                cr.execute("SELECT c.state FROM guarantee_compensation c "
                           "JOIN guarantee_payment_order o ON o.compensation_id = c.id "
                           "WHERE o.id = %s", [order_id])
                self.assertEqual(cr.fetchone(), ("paid",))
        _logger.info("payment order crash test: %.1f s", time.monotonic() - start)
