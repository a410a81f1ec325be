#!/usr/bin/env python3
"""Refresh an addon's i18n/zh_CN.po from the code and keep the translations already made.

Usage: python3 tools/i18n_update.py -d DATABASE ADDON [ADDON…] [--check] [--known PO…]

The addons must be installed in DATABASE. Terms are exported by Odoo itself; existing msgstr
are carried over (matched on msgid, then on msgctxt-less msgid); entries still untranslated are
listed. With --check nothing is written and the exit code is 1 when any entry is untranslated.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def export(database, addon, path):
    subprocess.run(
        [
            sys.executable, "-m", "odoo",
            f"--addons-path={ROOT}/addons,{ROOT}/tests",
            "-d", database,
            "--db_host", os.environ.get("PGHOST", "127.0.0.1"),
            "-r", os.environ.get("PGUSER", "odoo"),
            f"--i18n-export={path}", f"--modules={addon}", "--language=zh_CN",
            "--stop-after-init", "--log-level=warn",
        ],
        check=True,
    )


def merge(addon, exported_path, write=True, known_files=()):
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
    if write:
        fresh.save(target)
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--known", nargs="*", default=[], help="more PO files to take from")
    parser.add_argument("addons", nargs="+")
    args = parser.parse_args()
    untranslated = 0
    for addon in args.addons:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, f"{addon}.po")
            export(args.database, addon, path)
            missing = merge(addon, path, write=not args.check, known_files=args.known)
        untranslated += len(missing)
        sys.stdout.write(f"{addon}: {len(missing)} untranslated\n")
        for msgid in missing:
            sys.stdout.write(f"  - {msgid[:100]!r}\n")
    return 1 if args.check and untranslated else 0


if __name__ == "__main__":
    sys.exit(main())
