#!/usr/bin/env python3
"""Check that requirements.txt is complete for the tests, before any database is made.

Usage: python3 tools/check_requirements.py [--addons-path PATHS] ADDON [ADDON…]

A machine where a package was once installed by hand passes tests that a fresh machine fails.
This finds that gap the way the test run would meet it:

1. every requirement line (requirements.txt, requirements-dev.txt) is installed at a version it
   allows, and so is every dependency those distributions declare (a `pip check` limited to the
   project's own requirements, so unrelated packages of the machine do not count);
2. every Python package named in `external_dependencies` of the addons to install, and of every
   addon they depend on, imports;
3. the `tests` package of every one of those addons (Odoo's, OCA's and ours) imports, as Odoo's
   test loader does with --test-enable.

Exit code 1 and one line per problem when anything is missing.
"""

import argparse
import ast
import importlib
import importlib.metadata as metadata
import logging
import os
import re
import sys
import warnings

from packaging.requirements import InvalidRequirement, Requirement

STARLETTE_HTTPX_WARNING = "Using `httpx` with `starlette.testclient` is deprecated"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# external_dependencies name distributions or import names; these differ.
IMPORT_NAMES = {"python-stdnum": "stdnum", "python-ldap": "ldap", "pyopenssl": "OpenSSL"}


def requirement_lines(path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                yield line


def python_package_present(package):
    """As Odoo checks external_dependencies: an installed distribution, else an importable
    module of that name."""
    try:
        metadata.version(package)
        return True
    except metadata.PackageNotFoundError:
        pass
    try:
        importlib.import_module(IMPORT_NAMES.get(package, package.replace("-", "_")))
        return True
    except ImportError:
        return False


def check_distribution(requirement, seen, problems, chain=()):
    if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
        return
    key = requirement.name.lower().replace("_", "-")
    if key in seen:
        return
    seen.add(key)
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        via = f" (needed by {' → '.join(chain)})" if chain else ""
        problems.append(f"{requirement} is not installed{via}")
        return
    if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
        problems.append(f"{requirement} is required but {requirement.name} {version} is installed")
    for line in metadata.requires(requirement.name) or ():
        try:
            dependency = Requirement(line)
        except InvalidRequirement:
            continue
        if dependency.marker and not dependency.marker.evaluate({"extra": ""}):
            continue
        check_distribution(dependency, seen, problems, (*chain, requirement.name))


def manifest(module, addons_path):
    for folder in addons_path:
        path = os.path.join(folder, module, "__manifest__.py")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                return ast.literal_eval(handle.read())
    return None


def addon_closure(addons, addons_path):
    """The addons and all they depend on, each after its dependencies (as Odoo loads them)."""
    ordered = []

    def visit(module):
        if module in ordered:
            return
        data = manifest(module, addons_path) or {}
        for dependency in data.get("depends", []):
            visit(dependency)
        ordered.append(module)

    for addon in addons:
        visit(addon)
    return ordered


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addons-path", default=f"{ROOT}/addons,{ROOT}/tests")
    parser.add_argument("addons", nargs="+")
    args = parser.parse_args()
    problems = []

    seen = set()
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in requirement_lines(os.path.join(ROOT, name)):
            check_distribution(Requirement(line), seen, problems)

    import odoo
    from odoo.modules.module import initialize_sys_path
    from odoo.tools import config

    config.parse_config([f"--addons-path={args.addons_path}", "--log-level=warn"])
    initialize_sys_path()
    addons_path = [p for p in odoo.addons.__path__ if os.path.isdir(p)]
    modules = addon_closure(args.addons, addons_path)
    # Importing odoo.tests outside a test run logs an error meant for business code; not ours.
    logging.getLogger("odoo.tests.common").setLevel(logging.CRITICAL)
    config["test_enable"] = True
    for module in modules:
        data = manifest(module, addons_path)
        if data is None:
            problems.append(f"addon {module} is not in the addons path")
            continue
        for package in data.get("external_dependencies", {}).get("python", []):
            # a manifest may give a version, as OCA fastapi does ("a2wsgi>=1.10.6")
            requirement = Requirement(package)
            if not python_package_present(requirement.name):
                problems.append(f"{module} needs the Python package {package}")
            elif requirement.specifier:
                check_distribution(requirement, set(), problems, (module,))
        try:
            importlib.import_module(f"odoo.addons.{module}")
        except Exception as error:
            problems.append(f"{module} cannot be imported: {error!r}")
    # starlette 1.10 deprecates httpx in its test client for httpx2, which needs idna>=3, past
    # Odoo's pin (idna 2.10): importing OCA fastapi's tests warns until Odoo moves that pin.
    warnings.filterwarnings("ignore", message=re.escape(STARLETTE_HTTPX_WARNING))
    for module in modules:
        try:
            importlib.import_module(f"odoo.addons.{module}.tests")
        except ModuleNotFoundError as error:
            if error.name != f"odoo.addons.{module}.tests":
                problems.append(f"the tests of {module} cannot be imported: {error}")
        except Exception as error:
            problems.append(f"the tests of {module} cannot be imported: {error!r}")

    for problem in problems:
        sys.stdout.write(f"missing: {problem}\n")
    sys.stdout.write(
        f"requirements: {len(seen)} distributions and the tests of {len(modules)} addons checked, "
        f"{len(problems)} problem(s)\n"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
