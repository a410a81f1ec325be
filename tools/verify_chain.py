#!/usr/bin/env python3
"""Verify the integrity chain (guarantee.hash.chain) of a database and name every broken link.

    python3 tools/verify_chain.py -d guarantee_demo --db_host 127.0.0.1 -r odoo

Exit status 0 when the chain is intact, 1 when a link is broken (each printed with its reason).
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--db_host", default=None)
    parser.add_argument("--db_port", default=None)
    parser.add_argument("-r", "--db_user", default=None)
    parser.add_argument("-w", "--db_password", default=None)
    parser.add_argument("--addons-path", default="addons,tests")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import odoo

    options = ["-d", args.database, "--addons-path", ",".join(
        p if os.path.isabs(p) else os.path.join(ROOT, p) for p in args.addons_path.split(",")
    )]
    for flag, value in (("--db_host", args.db_host), ("--db_port", args.db_port),
                        ("-r", args.db_user), ("-w", args.db_password)):
        if value:
            options += [flag, value]
    odoo.tools.config.parse_config(options)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.monotonic()
        checked, broken = env["guarantee.hash.chain"]._verify_all()
        elapsed = time.monotonic() - start
        for link, reason in broken:
            print("BROKEN link %s (%s,%s, %s): %s"
                  % (link.id, link.res_model, link.res_id, link.event, reason))
        cr.rollback()
    if broken:
        print("%s broken links, %s intact" % (len(broken), checked))
        return 1
    print("OK: %s links verified in %.2f s" % (checked, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
