#!/usr/bin/env python3
"""What tools/run-tests concludes from Odoo's own test results (no Odoo import needed, stdlib only).

Sub-commands:

  report  --events E [E…] [--allowed-skips FILE] [--floor FILE | --floor-count N]
          [--times-out FILE] [--steps FILE] [--slowest N] [--counts-out FILE]
      Merges the event files written by tools/lib/odoo_with_events.py (one per Odoo process),
      prints the failed and skipped tests, the slowest tests and every problem, and writes
      "<passed> <failed> <skipped>" to --counts-out. A test is passed when it started, was not
      skipped and has no failure or error (a failing subtest fails its test once, so "passed"
      is never negative); skipped tests count in neither. The run fails (each check counting once in
      "failed") when: a test was skipped and is not on the allow-list; fewer tests ran than the
      floor; an ERROR or CRITICAL was logged that no test declared (assertLogs/mute_logger);
      no test ran; a process did not reach Odoo's end-of-tests summary, or its counters
      disagree with the events; a test ran in both processes.
  split   --modules M,… --addons-path P,… [--times FILE] [--parts 2]
      Prints one --test-tags value per line: the test classes balanced over the processes by
      the seconds in --times (classes without a time are estimated from their number of tests).
      The last line selects the whole modules minus the classes of the other lines, so a class
      the estimate cannot see (tests inherited from a parent class) still runs. Classes in files
      that drive a browser all go to the first process: only it builds the asset bundles.
  phases --logs L [L…] [--steps-out FILE]
      Prints, per Odoo log, the seconds spent installing (without the tests), in at_install tests,
      in post_install tests and building asset bundles (appended to FILE as the step "assets").
  check-browser --modules M,… --addons-path P,…
      Fails, with the command to install it, when the tests of these modules drive a browser
      (browser_js/start_tour) and Odoo cannot find Chromium or Chrome on this machine.
"""

import argparse
import ast
import collections
import datetime
import json
import os
import re
import shutil
import sys

ODOO_ID = re.compile(
    r"^odoo\.addons\.(?P<module>\w+)\.tests\.(?:[\w.]+\.)?(?P<cls>\w+)\.(?P<method>\w+)$")
BROWSER_CALL = re.compile(r"\b(browser_js|start_tour)\(")
# The names Odoo 18 looks for (odoo.tests.common._find_executable on Linux).
BROWSER_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
INSTALL_BROWSER = ("install Chromium: `apt-get install chromium` (Debian) or "
                   "`apt-get install chromium-browser` (Ubuntu), then run again")
DEFAULT_SECONDS_PER_TEST = 2.0
STEP = "-"
SPLIT_STEPS = ("update", "i18n", "assets")  # runner steps whose seconds the split counts


def short_id(odoo_id):
    """``odoo.addons.m.tests.test_x.TestC.test_y`` -> ``m:TestC.test_y`` (the --test-tags form)."""
    match = ODOO_ID.match(odoo_id)
    if not match:
        return odoo_id
    return "%s:%s.%s" % (match["module"], match["cls"], match["method"])


def class_key(odoo_id):
    match = ODOO_ID.match(odoo_id)
    return (match["module"], match["cls"]) if match else None


# ---------------------------------------------------------------- reading


class ProcessEvents:
    """What one Odoo process reported."""

    def __init__(self, path):
        self.path = path
        self.started = []
        self.stopped = {}
        self.start_time = {}
        self.skips = {}
        self.failures = collections.OrderedDict()
        self.logs = []
        self.summary = None
        self.first_time = self.last_time = None
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if line:
                    self._read(json.loads(line))

    def _read(self, event):
        kind, when = event["e"], event.get("t")
        self.first_time = self.first_time or when
        self.last_time = when or self.last_time
        if kind == "start":
            self.started.append(event["id"])
            self.start_time[event["id"]] = when
        elif kind == "stop":
            self.stopped[event["id"]] = when
        elif kind == "skip":
            self.skips[event["id"]] = event.get("reason", "")
        elif kind in ("fail", "error"):
            self.failures.setdefault(event["id"], (kind, event.get("message", "")))
        elif kind == "log":
            self.logs.append(event)
        elif kind == "summary":
            self.summary = event

    def counter_problems(self):
        """Odoo's own counters against the events: a hook that missed something shows here."""
        name = os.path.basename(self.path)
        if self.summary is None:
            return ["%s: Odoo did not reach the end of its test run (no test summary): "
                    "it crashed or was stopped, see its log" % name]
        problems = []
        expected = {"tests run": (self.summary["run"], len(self.started)),
                    "skipped": (self.summary["skipped"], len(self.skips))}
        for label, (odoo_count, seen) in expected.items():
            if odoo_count != seen:
                problems.append("%s: Odoo counted %d %s, the events %d"
                                % (name, odoo_count, label, seen))
        if (self.summary["failures"] + self.summary["errors"] > 0) != bool(self.failures):
            problems.append("%s: Odoo's failure counters and the events disagree" % name)
        return problems


def read_list(path):
    """Non-empty lines of a repository list file, without ``#`` comments."""
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        lines = (line.split("#", 1)[0].strip() for line in handle)
        return [line for line in lines if line]


def read_allowed_skips(path):
    """``module:Class.method reason…`` (or ``module:Class`` for a whole class) -> {id: reason}."""
    allowed = {}
    for line in read_list(path):
        parts = line.split(None, 1)
        if len(parts) < 2:
            raise SystemExit("%s: '%s' gives no reason; write `<test id> <reason>`" % (path, line))
        allowed[parts[0]] = parts[1]
    return allowed


def is_allowed(test, allowed):
    test = short_id(test)
    return test in allowed or test.rsplit(".", 1)[0] in allowed


def read_times(path):
    """``module<TAB>Class<TAB>seconds`` rows; module ``-`` holds a runner step's seconds."""
    times = {}
    for line in read_list(path):
        parts = line.split("\t")
        if len(parts) == 3:
            times[(parts[0], parts[1])] = float(parts[2])
    return times


# ---------------------------------------------------------------- report


class Outcome:
    """The merged outcome of every process and the checks made on it."""

    def __init__(self, processes, allowed_skips, floor):
        self.processes = processes
        started = [test for process in processes for test in process.started]
        self.skips = {test: reason for process in processes
                      for test, reason in process.skips.items()}
        self.failures = collections.OrderedDict(
            (test, failure) for process in processes for test, failure in process.failures.items())
        self.passed = sorted(set(started) - set(self.skips) - set(self.failures))
        self.ran = len(set(started) - set(self.skips))
        self.logs = [log for process in processes for log in process.logs]
        self.problems = []
        self._check(started, allowed_skips, floor)

    def _check(self, started, allowed_skips, floor):
        for process in self.processes:
            self.problems.extend(process.counter_problems())
        twice = sorted(test for test, count in collections.Counter(started).items() if count > 1)
        if twice:
            self.problems.append("tests ran in more than one process (the split overlaps): %s"
                                 % ", ".join(map(short_id, twice[:10])))
        if not started:
            self.problems.append("no test ran: 0 tests collected")
        elif floor is not None and self.ran < floor:
            self.problems.append(
                "%d tests ran, fewer than the floor of %d (.ci/test-floor): a test module was not "
                "collected or a class set-up failed; lower the floor only when tests were removed "
                "on purpose" % (self.ran, floor))
        refused = [test for test in self.skips if not is_allowed(test, allowed_skips)]
        if refused:
            lines = []
            for test in refused:
                reason = self.skips[test]
                hint = " -> " + INSTALL_BROWSER if "chrom" in reason.lower() else ""
                lines.append("  %s: %s%s" % (short_id(test), reason, hint))
            self.problems.append(
                "%d skipped test(s) not on the allow-list (.ci/allowed-skips.txt: "
                "`<module:Class.method> <reason>`):\n%s" % (len(refused), "\n".join(lines)))
        if self.logs:
            lines = ["  %s %s during %s: %s" % (
                log["level"], log["logger"],
                short_id(log["test"]) if log.get("test") else "the run, outside any test",
                log["message"].splitlines()[0][:300] if log["message"] else "")
                for log in self.logs[:30]]
            self.problems.append(
                "%d ERROR/CRITICAL record(s) logged that no test declared (a test that expects one "
                "wraps it in assertLogs or mute_logger):\n%s" % (len(self.logs), "\n".join(lines)))

    @property
    def failed(self):
        return len(self.failures) + len(self.problems)

    def stats(self):
        """Seconds per Odoo test id (and per class set-up/tear-down), from Odoo's own statistics."""
        seconds = {}
        for process in self.processes:
            if process.summary and process.summary.get("stats"):
                seconds.update({test: stat[0] for test, stat in process.summary["stats"].items()})
            else:  # no summary: the events' own clock
                seconds.update({test: process.stopped[test] - when
                                for test, when in process.start_time.items()
                                if test in process.stopped})
        return seconds

    def class_times(self):
        times = collections.defaultdict(float)
        for test, seconds in self.stats().items():
            key = class_key(test)
            if key:
                times[key] += seconds
        return times


def write_times(path, class_times, steps_path=None):
    """The timing file the split reads: every class's seconds, then the runner steps' seconds."""
    rows = ["%s\t%s\t%.1f" % (module, cls, seconds)
            for (module, cls), seconds in sorted(class_times.items())]
    for line in read_list(steps_path):
        name, seconds = line.split("\t")
        if name in SPLIT_STEPS:
            rows.append("%s\t%s\t%s" % (STEP, name, seconds))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# seconds per test class (set-up included) and per runner step; written by "
                     "tools/run-tests (UPDATE_TEST_TIMES=1)\n")
        handle.write("\n".join(rows) + "\n")


def report(args):
    allowed = read_allowed_skips(args.allowed_skips)
    floor = args.floor_count
    if floor is None and args.floor:
        values = read_list(args.floor)
        floor = int(values[0]) if values else None
    outcome = Outcome([ProcessEvents(path) for path in args.events], allowed, floor)
    for test, (kind, message) in outcome.failures.items():
        print("%s: %s -- %s" % (kind.upper(), short_id(test), message.splitlines()[0][:200]
                                if message else ""))
    stats = outcome.stats()
    if args.slowest and stats:
        print("== the %d slowest tests (seconds, Odoo's per-test statistics; "
              "setUpClass = a class's shared set-up)" % args.slowest)
        for test, seconds in sorted(stats.items(), key=lambda item: -item[1])[:args.slowest]:
            print("%8.1f  %s" % (seconds, short_id(test)))
    if args.times_out:
        write_times(args.times_out, outcome.class_times(), args.steps)
    for problem in outcome.problems:
        print("FAILED CHECK: " + problem)
    if outcome.skips:
        allowed_ones = sorted(short_id(test) for test in outcome.skips if is_allowed(test, allowed))
        print("%d skipped (allowed: %s)" % (len(outcome.skips), ", ".join(allowed_ones) or "none"))
    print("tests: %d ran, %d passed, %d failed or in error, %d skipped; %d check(s) failed"
          % (outcome.ran, len(outcome.passed), len(outcome.failures), len(outcome.skips),
             len(outcome.problems)))
    if args.counts_out:
        with open(args.counts_out, "w", encoding="utf-8") as handle:
            handle.write("%d %d %d\n" % (len(outcome.passed), outcome.failed, len(outcome.skips)))
    return 1 if outcome.failed else 0


# ---------------------------------------------------------------- split


def module_dirs(modules, addons_path):
    for module in modules:
        for root in addons_path:
            if os.path.isdir(os.path.join(root, module, "tests")):
                yield module, os.path.join(root, module, "tests")
                break


def test_classes(modules, addons_path):
    """{(module, Class): number of test methods it defines}, read from the sources, and the set
    of classes in files that drive a browser (whose process must build the asset bundles)."""
    classes, browser = {}, set()
    for module, tests_dir in module_dirs(modules, addons_path):
        for dirpath, _dirs, files in os.walk(tests_dir):
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                    source = handle.read()
                for node in ast.walk(ast.parse(source)):
                    if isinstance(node, ast.ClassDef):
                        count = sum(1 for item in node.body if isinstance(
                            item, ast.FunctionDef | ast.AsyncFunctionDef)
                            and item.name.startswith("test"))
                        if count:
                            classes[(module, node.name)] = count
                            if BROWSER_CALL.search(source):
                                browser.add((module, node.name))
    return classes, browser


def split(args):
    modules = [m for m in args.modules.split(",") if m]
    times = read_times(args.times)
    inventory, browser = test_classes(modules, args.addons_path.split(","))
    per_test = DEFAULT_SECONDS_PER_TEST
    measured = {key: times[key] for key in inventory if key in times}
    if measured:
        per_test = sum(measured.values()) / sum(inventory[key] for key in measured)
    weights = {key: times.get(key, count * per_test) for key, count in inventory.items()}
    # Process 1 runs the -u of the addons afterwards and every class that drives a browser (only
    # its process builds the asset bundles); the last process runs the i18n check.
    loads = [0.0] * args.parts
    parts = [[] for _ in range(args.parts)]
    loads[0] += times.get((STEP, "update"), 0.0)
    loads[-1] += times.get((STEP, "i18n"), 0.0)
    if browser:
        loads[0] += times.get((STEP, "assets"), 0.0)
    for key in sorted(browser):
        loads[0] += weights.pop(key)
        parts[0].append(key)
    for key, seconds in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
        lightest = min(range(args.parts), key=lambda index: (loads[index], index))
        loads[lightest] += seconds
        parts[lightest].append(key)
    explicit = [key for part in parts[:-1] for key in part]
    lines = [",".join("/%s:%s" % key for key in sorted(part)) for part in parts[:-1]]
    lines.append(",".join(["/%s" % module for module in modules]
                          + ["-/%s:%s" % key for key in sorted(explicit)]))
    for index, load in enumerate(loads):
        print("process %d: about %.0f s of tests and steps (%d classes)"
              % (index + 1, load, len(parts[index])), file=sys.stderr)
    print("\n".join(lines))
    return 0


# ---------------------------------------------------------------- phases

LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) \d+ \w+ \S+ (\S+): (.*)$")
MODULE_TESTS = re.compile(r"^Module \w+ loaded in [\d.]+s \(incl\. ([\d.]+)s test\)")
POST_TESTS = re.compile(r"^\d+ post-tests in ([\d.]+)s")
ASSETS = re.compile(r"^(?:JS|CSS) Assets bundles generated in ([\d.]+) seconds")


def phases_of(path):
    """(all, install, at_install tests, post_install tests, asset bundles) seconds from a log."""
    first = last = post_start = None
    at_install = post = assets = 0.0
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = LOG_LINE.match(line)
            if not match:
                continue
            when = datetime.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S").timestamp() \
                + int(match[2]) / 1000
            first = first or when
            last = when
            message = match[4]
            if (found := MODULE_TESTS.match(message)):
                at_install += float(found[1])
            elif message.startswith("Starting post tests"):
                post_start = when
            elif (found := POST_TESTS.match(message)):
                post = float(found[1])
            elif (found := ASSETS.match(message)):
                assets += float(found[1])
    if first is None:
        return None
    install = (post_start or last) - first - at_install
    return last - first, install, at_install, post, assets


def phases(args):
    assets = 0.0
    for index, path in enumerate(args.logs, 1):
        found = phases_of(path)
        if found:
            print("process %d: %.0f s: install %.0f s (without tests), at_install tests %.0f s, "
                  "post_install tests %.0f s (of which %.0f s building asset bundles)"
                  % (index, *found))
            assets = max(assets, found[4])
    if args.steps_out and assets:
        with open(args.steps_out, "a", encoding="utf-8") as handle:
            handle.write("assets\t%.0f\n" % assets)
    return 0


# ---------------------------------------------------------------- browser


def uses_browser(modules, addons_path):
    for _module, tests_dir in module_dirs(modules, addons_path):
        for dirpath, _dirs, files in os.walk(tests_dir):
            for name in files:
                if name.endswith(".py"):
                    with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                        if BROWSER_CALL.search(handle.read()):
                            return os.path.join(dirpath, name)
    return None


def check_browser(args):
    user = uses_browser([m for m in args.modules.split(",") if m], args.addons_path.split(","))
    if not user:
        return 0
    found = next((shutil.which(name) for name in BROWSER_NAMES if shutil.which(name)), None)
    if found:
        print("browser tests (%s…) will use %s" % (os.path.relpath(user), found))
        return 0
    print("ERROR: the tests drive a browser (%s) and neither of %s is on PATH: %s"
          % (os.path.relpath(user), ", ".join(BROWSER_NAMES), INSTALL_BROWSER))
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rep = commands.add_parser("report")
    rep.add_argument("--events", nargs="+", required=True)
    rep.add_argument("--allowed-skips")
    rep.add_argument("--floor")
    rep.add_argument("--floor-count", type=int)
    rep.add_argument("--times-out")
    rep.add_argument("--steps")
    rep.add_argument("--slowest", type=int, default=20)
    rep.add_argument("--counts-out")
    spl = commands.add_parser("split")
    spl.add_argument("--modules", required=True)
    spl.add_argument("--addons-path", required=True)
    spl.add_argument("--times")
    spl.add_argument("--parts", type=int, default=2)
    brw = commands.add_parser("check-browser")
    brw.add_argument("--modules", required=True)
    brw.add_argument("--addons-path", required=True)
    pha = commands.add_parser("phases")
    pha.add_argument("--logs", nargs="+", required=True)
    pha.add_argument("--steps-out")
    args = parser.parse_args(argv)
    return {"report": report, "split": split, "check-browser": check_browser,
            "phases": phases}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
