"""Run Odoo exactly as ``python3 -m odoo`` does and record what its test runner saw.

Usage: GUARANTEE_TEST_EVENTS=<file> python3 tools/lib/odoo_with_events.py <odoo options>

Odoo's own test result object (``odoo.tests.result.OdooTestResult``) counts tests, failures,
errors and skips, but only prints a summary without the skips. This launcher hooks that object
and writes one JSON line per event to the file, as it happens (a crash keeps what came before):

- ``start``/``stop`` of every test (Odoo's test id), ``skip`` with its reason, ``fail`` and
  ``error`` (a subtest's outcome is filed under its test; a class set-up error under
  ``…Class.setUpClass``);
- ``log``: every ERROR or CRITICAL record that reaches the root logger, with the test running at
  the time. Errors a test declares it expects (``assertLogs``, ``mute_logger``) never reach it:
  both detach the logger from the root while the test runs. The runner's own report of a failed
  test, and Odoo's summaries of failed tests, are not recorded as logs (they are ``fail``);
- ``summary``: Odoo's counters (tests run, failures, errors, skipped) and its per-test statistics
  (seconds and queries of each test, set-up and tear-down of each class), written when Odoo
  logs its test statistics at the end of the run.

tools/lib/test_results.py reads the file.

One change of behaviour: before the post_install tests, Odoo builds every asset bundle when any
of them is an HttpCase (a minute or more); here only when one of them drives a browser
(``browser_js``/``start_tour`` in its module or a parent class's module). HTTP tests without a
browser never load the bundles; tours still find them built, as in Odoo.
"""

import inspect
import json
import logging
import os
import re
import sys
import threading
import time

BROWSER_CALL = re.compile(r"\b(browser_js|start_tour)\(")
# Odoo's own messages that only summarise test failures already recorded one by one.
SUMMARY_MESSAGES = {
    ("odoo.modules.loading", "Module %s: %d failures, %d errors of %d tests"),
    ("odoo.modules.loading", "At least one test failed when loading the modules."),
    ("odoo.tests.result", "%s when loading database %r"),
    ("odoo.tests.result", "Test suite halted: max failed tests already reached (%s). "
                          "Remaining tests will be skipped."),
}


class EventSink:
    """Append-only JSON-lines file shared by the hooks; thread-safe (HTTP tests log in threads)."""

    def __init__(self, path):
        self._file = open(path, "a", encoding="utf-8")  # kept open for the whole run
        self._lock = threading.Lock()
        self.current_test = None
        self.reporting = 0

    def write(self, event, **values):
        values.update(e=event, t=round(time.time(), 3), pid=os.getpid())
        line = json.dumps(values, ensure_ascii=False, default=str)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()


class ErrorLogHandler(logging.Handler):
    """Records ERROR and CRITICAL records that are not the test runner's own reports."""

    def __init__(self, sink):
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record):
        if self.sink.reporting or (record.name, record.msg) in SUMMARY_MESSAGES:
            return
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call is still an error worth reporting
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            message += "\n%s: %s" % (type(record.exc_info[1]).__name__, record.exc_info[1])
        self.sink.write("log", level=record.levelname, logger=record.name,
                        message=message[:4000], test=self.sink.current_test)


def test_id(test):
    """Odoo's test id; a subtest is filed under its test, a class-level error under its class."""
    parent = getattr(test, "test_case", None)
    if parent is not None:
        return parent.id()
    description = getattr(test, "description", None)
    if description and " (" in description:  # _ErrorHolder: "setUpClass (module.Class)"
        method, owner = description.rstrip(")").split(" (", 1)
        return "%s.%s" % (owner, method)
    return test.id()


BROWSER_MODULES = {}


def drives_browser(test_class):
    """Whether the sources of a test class (and of its parent classes) call a browser."""
    _cache = BROWSER_MODULES
    for klass in inspect.getmro(test_class):
        module = sys.modules.get(klass.__module__)
        if module is None or not klass.__module__.startswith("odoo.addons."):
            continue
        if module.__name__ not in _cache:
            try:
                _cache[module.__name__] = bool(BROWSER_CALL.search(inspect.getsource(module)))
            except (OSError, TypeError):
                _cache[module.__name__] = True  # no source: assume it does, as Odoo would
        if _cache[module.__name__]:
            return True
    return False


def install_hooks(sink):
    """Wrap OdooTestResult's callbacks so each one also writes its event."""
    from odoo.tests.common import HttpCase
    from odoo.tests.result import OdooTestResult
    from odoo.tests.suite import OdooSuite

    originals = {name: getattr(OdooTestResult, name) for name in (
        "startTest", "stopTest", "addSkip", "addFailure", "addError", "logError", "log_stats")}

    def start_test(self, test):
        sink.current_test = test.id()
        sink.write("start", id=test.id())
        return originals["startTest"](self, test)

    def stop_test(self, test):
        originals["stopTest"](self, test)
        sink.write("stop", id=test.id())
        sink.current_test = None

    def add_skip(self, test, reason):
        sink.write("skip", id=test_id(test), reason=str(reason))
        return originals["addSkip"](self, test, reason)

    def add_failure(self, test, err):
        sink.write("fail", id=test_id(test), message=str(err[1])[:4000])
        return originals["addFailure"](self, test, err)

    def add_error(self, test, err):
        sink.write("error", id=test_id(test), message="%s: %s" % (err[0].__name__, err[1]))
        return originals["addError"](self, test, err)

    def log_error(self, flavour, test, error):
        sink.reporting += 1
        try:
            return originals["logError"](self, flavour, test, error)
        finally:
            sink.reporting -= 1

    def log_stats(self):
        originals["log_stats"](self)
        if self.global_report is None:
            sink.write("summary", run=self.testsRun, failures=self.failures_count,
                       errors=self.errors_count, skipped=self.skipped,
                       stats={key: [round(stat.time, 3), stat.queries]
                              for key, stat in self.stats.items()})

    def has_http_case(self):
        return any(isinstance(test, HttpCase) and drives_browser(type(test)) for test in self)

    OdooSuite.has_http_case = has_http_case
    OdooTestResult.startTest = start_test
    OdooTestResult.stopTest = stop_test
    OdooTestResult.addSkip = add_skip
    OdooTestResult.addFailure = add_failure
    OdooTestResult.addError = add_error
    OdooTestResult.logError = log_error
    OdooTestResult.log_stats = log_stats
    logging.getLogger().addHandler(ErrorLogHandler(sink))


def main():
    path = os.environ.get("GUARANTEE_TEST_EVENTS")
    if not path:
        sys.exit("GUARANTEE_TEST_EVENTS must name the file to write the test events to")
    sink = EventSink(path)
    sink.write("begin", argv=sys.argv[1:])
    from odoo.tools import config

    parse_config = config.parse_config

    def parse_then_hook(*args, **kwargs):
        # odoo.tests warns when imported before the configuration says tests are enabled
        config.parse_config = parse_config
        parse_config(*args, **kwargs)
        install_hooks(sink)

    config.parse_config = parse_then_hook
    from odoo.cli.command import main as odoo_main

    sys.argv = ["odoo", *sys.argv[1:]]
    odoo_main()


if __name__ == "__main__":
    main()
