"""The rate limit under real concurrency.

An HttpCase serves its requests one at a time inside the test's transaction, which would hide
the race (a limit counted from committed log lines let 40 parallel calls through a limit of 5).
This test is a TransactionCase instead: the server is then not in test mode, every request runs
on a connection and in a transaction of its own, as in production, and the calls really arrive
together. Its fixtures are committed for real and removed at the end.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import requests

import odoo
from odoo import SUPERUSER_ID, api, sql_db
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, tagged

LIMIT = 5
CALLS = 20  # 40 at once made the test server fail to start threads on a busy 2-core machine


@tagged("post_install", "-at_install")
class TestRateLimitConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        # the test runner holds the registries' lock while it runs the tests; the requests
        # need the registry (HttpCase lifts the lock the same way in its test mode)
        self.patch(Registry, "_lock", DummyRLock())
        self.url = "http://127.0.0.1:%s/api/guarantee/v1/projects" % (
            odoo.service.server.server.httpd.server_port)
        with self._committed() as env:
            # an existing partner: a new one would be audited, and its audit link chained
            key = env["guarantee.api.key"].with_context(tracking_disable=True).create({
                "name": "并发限流测试", "partner_id": env.company.partner_id.id,
                "partner_kind": "platform", "user_id": env.ref("base.user_admin").id,
                "scope_projects": True, "rate_limit": LIMIT,
            })
            self.secret = key.action_generate_key()["context"]["guarantee_api_plain_key"]
            self.key_id = key.id
        self.addCleanup(self._remove_key)

    @contextmanager
    def _committed(self):
        """An environment on a connection of its own, committed at the end of the block."""
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def _remove_key(self):
        with self._committed() as env:
            env.cr.execute("DELETE FROM guarantee_connector_call_log WHERE res_model = "
                           "'guarantee.api.key' AND res_id = %s", [self.key_id])
            env.cr.execute("DELETE FROM mail_message WHERE model = 'guarantee.api.key' "
                           "AND res_id = %s", [self.key_id])
            env.cr.execute("DELETE FROM mail_followers WHERE res_model = 'guarantee.api.key' "
                           "AND res_id = %s", [self.key_id])
            # its rate counter goes with it (ON DELETE CASCADE)
            env.cr.execute("DELETE FROM guarantee_api_key WHERE id = %s", [self.key_id])

    def test_twenty_parallel_calls_pass_a_limit_of_five_exactly_five_times(self):
        start = threading.Barrier(CALLS)

        def call(_index):
            start.wait(timeout=30)
            return requests.get(self.url, headers={"Authorization": "Bearer " + self.secret},
                                timeout=60).status_code

        with ThreadPoolExecutor(CALLS) as pool:
            statuses = list(pool.map(call, range(CALLS)))
        self.assertEqual(sorted(statuses), [200] * LIMIT + [429] * (CALLS - LIMIT))
        with self._committed() as env:
            env.cr.execute("SELECT status_code, count(*) FROM guarantee_connector_call_log "
                           "WHERE res_model = 'guarantee.api.key' AND res_id = %s "
                           "GROUP BY status_code ORDER BY status_code", [self.key_id])
            self.assertEqual(env.cr.fetchall(), [(200, LIMIT), (429, CALLS - LIMIT)],
                             "every call, admitted or not, has its committed log line")
            # a new key's counter starts empty; when the calls straddle the turn of a minute,
            # those of the minute that ended are kept as its previous_calls
            env.cr.execute("SELECT calls + previous_calls FROM guarantee_api_rate_counter "
                           "WHERE key_id = %s", [self.key_id])
            self.assertEqual(env.cr.fetchone(), (LIMIT,), "refused calls are not counted")

