"""One class per outcome tools/run-tests must tell apart (tools/tests/test_run_tests.py).

CI_PROBE_CLASSES (comma-separated class names) selects which classes exist at all: the runner's
self-test runs Odoo once per case with the classes of that case. A browser test would make Odoo
build its asset bundles (a minute): the browser check is proven without one, and the HTTP test
proves that a process whose tests drive no browser does not build them.
"""

import logging
import os

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)
SELECTED = set(filter(None, os.environ.get("CI_PROBE_CLASSES", "").split(",")))


def selected(name):
    return not SELECTED or name in SELECTED


if selected("TestClean"):

    class TestClean(TransactionCase):
        def test_passes(self):
            self.assertEqual(self.env["res.partner"].create({"name": "probe"}).name, "probe")

        def test_expected_error_declared_with_assert_logs(self):
            with self.assertLogs(__name__, level="ERROR"):
                _logger.error("probe: an error this test expects")

        @mute_logger(__name__)
        def test_expected_error_declared_with_mute_logger(self):
            _logger.error("probe: an error this test mutes")


if selected("TestSkipped"):

    class TestSkipped(TransactionCase):
        def test_skips(self):
            self.skipTest("the probe skips on purpose")


if selected("TestLogsError"):

    class TestLogsError(TransactionCase):
        def test_logs_an_unexpected_error(self):
            _logger.error("probe: the ledger does not match")


if selected("TestFailsThreeSubtests"):

    class TestFailsThreeSubtests(TransactionCase):
        def test_three_failing_subtests(self):
            for value in (1, 2, 3):
                with self.subTest(value=value):
                    self.assertEqual(value, 0)



if selected("TestHttpWithoutBrowser"):

    @tagged("post_install", "-at_install")
    class TestHttpWithoutBrowser(HttpCase):
        def test_health_answers(self):
            self.assertEqual(self.url_open("/web/health").json(), {"status": "pass"})
