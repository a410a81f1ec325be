#!/usr/bin/env python3
"""Refresh an addon's i18n/zh_CN.po from the code and keep the translations already made.

Usage: python3 tools/i18n_update.py -d DATABASE ADDON [ADDON…] [--check] [--known PO…]

The addons must be installed in DATABASE. Terms are exported by Odoo itself; existing msgstr
are carried over (matched on msgid, then on msgctxt-less msgid); entries still untranslated are
listed.

With --check nothing is written: the Chinese language is loaded into DATABASE the way Odoo loads
it, and the terms are exported in zh_CN from that database, so an entry counts as translated only
if Odoo itself finds its translation at run time (a code term whose .po entry lacks the
`odoo-python` marker, a view term under a wrong xml id, a msgstr with other placeholders… all
count as untranslated). The view, field and menu terms of the OCA addons users see (OCA_ADDONS)
are checked too: their translations are kept in the i18n_extra/zh_CN.po of the addon OCA_ADDONS
names for each (the lowest of ours that depends on it). The exit code
is 1 when any term is untranslated.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHINESE = re.compile("[\u4e00-\u9fff]")
# OCA addons whose screens staff use every day; their Python and JavaScript strings can only be
# translated upstream, their view, field and menu terms are translated here.
# Each is mapped to the addon of ours whose i18n_extra/zh_CN.po keeps those translations.
OCA_ADDONS = {
    "base_tier_validation": "guarantee_base",
    "web_timeline": "guarantee_base",
    "account_financial_report": "guarantee_reporting",
}


def odoo_command(database, *options):
    subprocess.run(
        [
            sys.executable, "-m", "odoo",
            f"--addons-path={ROOT}/addons,{ROOT}/tests",
            "-d", database,
            "--db_host", os.environ.get("PGHOST", "127.0.0.1"),
            "-r", os.environ.get("PGUSER", "odoo"),
            "--stop-after-init", "--log-level=warn",
            *options,
        ],
        check=True,
    )


def export(database, addon, path):
    odoo_command(database, f"--i18n-export={path}", f"--modules={addon}", "--language=zh_CN")


def kept_as_written(addon):
    """msgids the addon's .po files keep unchanged on purpose (Chinese data, ratings such as
    AA, "ID"): Odoo stores no translation for them and shows the source, as users should see."""
    paths = [
        os.path.join(ROOT, "addons", addon, folder, "zh_CN.po")
        for folder in ("i18n", "i18n_extra")
    ]
    return {
        entry.msgid
        for path in paths
        if os.path.exists(path)
        for entry in polib.pofile(path)
        if entry.msgstr == entry.msgid
    }


def names_a_model_of_others(entry):
    """The description of a model the addon only extends (account.chart.template…): Odoo's
    own translation of that model wins, whatever the addon's .po says."""
    return all(
        occurrence.startswith("model:ir.model,name:")
        and ".model_guarantee_" not in occurrence
        for occurrence, _line in entry.occurrences
    )


def entry_modules(entry):
    """The modules an exported entry belongs to (its "#. module(s): …" comment)."""
    for line in (entry.comment or "").splitlines():
        if line.startswith(("module:", "modules:")):
            return {name.strip() for name in line.split(":", 1)[1].split(",")}
    return set()


def check(database, addons):
    """Count the terms Odoo shows untranslated in zh_CN, loading Chinese as Odoo does."""
    odoo_command(database, "--load-language=zh_CN")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "all.po")
        export(database, ",".join([*addons, *OCA_ADDONS]), path)
        exported = polib.pofile(path)
    untranslated = 0
    for addon in [*addons, *OCA_ADDONS]:
        ours = addon in addons
        as_written = kept_as_written(addon if ours else OCA_ADDONS[addon])
        missing = [
            entry.msgid
            for entry in exported
            if addon in entry_modules(entry)
            and not entry.msgstr
            and entry.msgid not in as_written
            and not names_a_model_of_others(entry)
            # OCA code strings can only be translated upstream
            and (ours or not any(o.startswith("code:") for o, _line in entry.occurrences))
        ]
        untranslated += len(missing)
        sys.stdout.write(f"{addon}: {len(missing)} untranslated at run time\n")
        for msgid in missing:
            sys.stdout.write(f"  - {msgid[:100]!r}\n")
    return 1 if untranslated else 0


def merge(addon, exported_path, known_files=()):
    target = os.path.join(ROOT, "addons", addon, "i18n", "zh_CN.po")
    fresh = polib.pofile(exported_path)
    known = {}
    sources = [target, *known_files]
    for source in sources:
        if os.path.exists(source) and os.path.getsize(source):
            for entry in polib.pofile(source):
                if entry.msgstr:
                    known.setdefault(entry.msgid, entry.msgstr)
    missing = []
    for entry in fresh:
        if not entry.msgstr:
            entry.msgstr = known.get(entry.msgid, "")
        if not entry.msgstr and CHINESE.search(entry.msgid):
            entry.msgstr = entry.msgid  # Chinese data is shown as written
        if not entry.msgstr:
            missing.append(entry.msgid)
    fresh.metadata.update(
        {
            "Project-Id-Version": "Odoo Server 18.0",
            "Language": "zh_CN",
            "Language-Team": "Chinese (Simplified)",
            "Plural-Forms": "nplurals=1; plural=0;",
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    fresh.save(target)
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--known", nargs="*", default=[], help="more PO files to take from")
    parser.add_argument("addons", nargs="+")
    args = parser.parse_args()
    if args.check:
        return check(args.database, args.addons)
    for addon in args.addons:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, f"{addon}.po")
            export(args.database, addon, path)
            missing = merge(addon, path, known_files=args.known)
        sys.stdout.write(f"{addon}: {len(missing)} untranslated\n")
        for msgid in missing:
            sys.stdout.write(f"  - {msgid[:100]!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
