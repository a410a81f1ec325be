#!/usr/bin/env python3
"""Self-test of tools/run-tests: it fails when it must and passes a clean run.

Real Odoo runs the tiny addon tools/tests/addons/ci_probe, whose test classes each produce one
outcome (clean, skipped, unexpected ERROR logged, three failing subtests). Odoo is run once per
case, on a copy of one base-only database, with the classes of that case (CI_PROBE_CLASSES), and
tools/lib/test_results.py judges its events as the runner does; the browser check runs with a
PATH that has no browser; the whole runner runs once end to end on a clean case, in two
processes, one of them with an HTTP test that must not make Odoo build its asset bundles.
tools/run-tests runs this file beside the suite (about a minute).

Settings: GUARANTEE_TEST_DB (prefix of the databases, default guarantee_selftest_<pid>),
GUARANTEE_SELF_TEST_PORT (first of two HTTP ports, default 8179), PGHOST, PGPORT, PGUSER.
"""

import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROBE_PATH = os.path.join(ROOT, "tools", "tests", "addons")
RESULTS = [sys.executable, os.path.join(ROOT, "tools", "lib", "test_results.py")]
PREFIX = os.environ.get("GUARANTEE_TEST_DB", "guarantee_selftest_%d" % os.getpid())
PORT = int(os.environ.get("GUARANTEE_SELF_TEST_PORT", "8179"))
PG = {"PGHOST": os.environ.get("PGHOST", "127.0.0.1"), "PGPORT": os.environ.get("PGPORT", "5432"),
      "PGUSER": os.environ.get("PGUSER", "odoo")}
ODOO_DB = ["--db_host=" + PG["PGHOST"], "--db_port=" + PG["PGPORT"], "-r", PG["PGUSER"]]
CLEAN_TESTS = 3  # TestClean's tests


def run(command, env=None, timeout=600):
    return subprocess.run(command, env={**os.environ, **PG, **(env or {})}, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def dropdb(name):
    run(["dropdb", "--if-exists", name])


class TestRunTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="run-tests-self-test-")
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.base = PREFIX + "_base"
        dropdb(cls.base)
        cls.addClassCleanup(dropdb, cls.base)
        done = run([sys.executable, "-m", "odoo", *ODOO_DB, "-d", cls.base, "-i", "base",
                    "--without-demo=all", "--stop-after-init", "--max-cron-threads=0",
                    "--http-interface=127.0.0.1", "--http-port=%d" % PORT, "--log-level=warn"])
        assert done.returncode == 0, done.stdout + done.stderr
        cls.events = {}

    @classmethod
    def probe_events(cls, classes):
        """Events of one real Odoo run installing ci_probe with only ``classes`` (cached)."""
        if classes in cls.events:
            return cls.events[classes]
        db = "%s_%d" % (PREFIX, len(cls.events))
        dropdb(db)
        created = run(["createdb", "-T", cls.base, db])
        assert created.returncode == 0, created.stderr
        path = os.path.join(cls.tmp.name, "events-%s.jsonl" % db)
        try:
            run([sys.executable, os.path.join(ROOT, "tools", "lib", "odoo_with_events.py"),
                 "--addons-path=" + PROBE_PATH, *ODOO_DB, "-d", db, "-i", "ci_probe",
                 "--test-enable", "--test-tags=/ci_probe", "--stop-after-init",
                 "--max-cron-threads=0", "--http-interface=127.0.0.1",
                 "--http-port=%d" % PORT, "--log-level=info"],
                env={"GUARANTEE_TEST_EVENTS": path, "CI_PROBE_CLASSES": classes})
        finally:
            dropdb(db)
        cls.events[classes] = path
        return path

    def report(self, classes, allowed="", floor=None):
        allowed_path = os.path.join(self.tmp.name, "allowed-%d.txt" % len(allowed))
        with open(allowed_path, "w", encoding="utf-8") as handle:
            handle.write(allowed)
        counts = os.path.join(self.tmp.name, "counts")
        command = [*RESULTS, "report", "--events", self.probe_events(classes),
                   "--allowed-skips", allowed_path, "--counts-out", counts]
        if floor is not None:
            command += ["--floor-count", str(floor)]
        done = run(command)
        with open(counts, encoding="utf-8") as handle:
            passed, failed, _skipped = map(int, handle.read().split())
        return done.returncode, done.stdout, passed, failed

    def test_a_clean_run_passes_and_expected_errors_do_not_count(self):
        rc, out, passed, failed = self.report("TestClean", floor=CLEAN_TESTS)
        self.assertEqual((rc, passed, failed), (0, CLEAN_TESTS, 0), out)
        self.assertNotIn("FAILED CHECK", out)

    def test_a_skipped_test_fails_unless_it_is_on_the_allow_list(self):
        rc, out, passed, failed = self.report("TestClean,TestSkipped", floor=CLEAN_TESTS)
        self.assertEqual((rc, passed, failed), (1, CLEAN_TESTS, 1), out)
        self.assertIn("ci_probe:TestSkipped.test_skips: the probe skips on purpose", out)
        rc, out, passed, failed = self.report(
            "TestClean,TestSkipped", floor=CLEAN_TESTS,
            allowed="ci_probe:TestSkipped.test_skips  skips on purpose: the runner's self-test\n")
        self.assertEqual((rc, passed, failed), (0, CLEAN_TESTS, 0), out)
        self.assertIn("1 skipped", out)

    def test_fewer_tests_than_the_floor_fail(self):
        rc, out, _passed, failed = self.report("TestClean", floor=CLEAN_TESTS + 1)
        self.assertEqual((rc, failed), (1, 1), out)
        self.assertIn("3 tests ran, fewer than the floor of 4", out)

    def test_no_test_collected_fails(self):
        rc, out, passed, failed = self.report("NoSuchClass")
        self.assertEqual((rc, passed, failed), (1, 0, 1), out)
        self.assertIn("no test ran", out)

    def test_an_error_logged_during_a_test_fails(self):
        rc, out, passed, failed = self.report("TestClean,TestLogsError", floor=CLEAN_TESTS)
        self.assertEqual((rc, passed, failed), (1, CLEAN_TESTS + 1, 1), out)
        self.assertIn("during ci_probe:TestLogsError.test_logs_an_unexpected_error: "
                      "probe: the ledger does not match", out)

    def test_three_failing_subtests_fail_their_test_once(self):
        rc, out, passed, failed = self.report("TestClean,TestFailsThreeSubtests")
        self.assertEqual((rc, passed, failed), (1, CLEAN_TESTS, 1), out)

    def test_a_missing_browser_fails_with_the_command_to_install_it(self):
        addons = os.path.join(self.tmp.name, "browser_addons")
        os.makedirs(os.path.join(addons, "tour_probe", "tests"))
        with open(os.path.join(addons, "tour_probe", "tests", "test_tour.py"), "w",
                  encoding="utf-8") as handle:
            handle.write("def test_tour(self):\n    self.start_tour('/odoo', 'probe')\n")
        no_browser = os.path.join(self.tmp.name, "bin")
        os.makedirs(no_browser)
        os.symlink(sys.executable, os.path.join(no_browser, "python3"))
        done = subprocess.run(
            ["python3", RESULTS[1], "check-browser", "--modules", "tour_probe",
             "--addons-path", addons],
            env={"PATH": no_browser}, capture_output=True, text=True, check=False)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("apt-get install chromium", done.stdout)

    def test_the_runner_passes_a_clean_run_in_two_processes(self):
        allowed = os.path.join(self.tmp.name, "allowed-e2e.txt")
        with open(allowed, "w", encoding="utf-8") as handle:
            handle.write("ci_probe:TestSkipped  skips on purpose: the runner's self-test\n")
        done = run([os.path.join(ROOT, "tools", "run-tests")], env={
            "GUARANTEE_TEST_ADDONS": "ci_probe", "GUARANTEE_EXTRA_ADDONS_PATH": PROBE_PATH,
            "CI_PROBE_CLASSES": "TestClean,TestSkipped,TestHttpWithoutBrowser",
            "GUARANTEE_TEMPLATE_DB": self.base,
            "GUARANTEE_TEST_FLOOR": str(CLEAN_TESTS + 1), "GUARANTEE_ALLOWED_SKIPS": allowed,
            "GUARANTEE_TEST_TIMES": os.path.join(self.tmp.name, "no-times.tsv"),
            "GUARANTEE_TEST_DB": PREFIX + "_e2e", "TEST_HTTP_PORT": str(PORT),
            "LOGDIR": os.path.join(self.tmp.name, "logs"), "SKIP_PIP": "1", "SKIP_LINT": "1",
            "GUARANTEE_NO_APT": "1", "GUARANTEE_SELF_TEST": "0"})
        out = done.stdout + done.stderr
        self.assertEqual(done.returncode, 0, out)
        self.assertEqual(done.stdout.splitlines()[-1], "%d passed, 0 failed" % (CLEAN_TESTS + 1),
                         out)
        self.assertIn("1 skipped (allowed: ci_probe:TestSkipped.test_skips)", out)
        self.assertEqual(done.stdout.splitlines()[-2], "1 skipped (counted in neither)", out)
        # both processes ran tests; the HTTP test drives no browser: no asset bundle was built
        self.assertRegex(out, r"process 1: .*tests \d+ s \(of which 0 s building asset bundles\)")
        self.assertRegex(out, r"process 2: .*tests \d+ s \(of which 0 s building asset bundles\)")
        for n in (1, 2):
            with open(os.path.join(self.tmp.name, "logs", "install-%d.log" % n),
                      encoding="utf-8") as log:
                self.assertNotIn("Assets bundles generated", log.read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
