"""Adopt what moved from guarantee_base into guarantee_platform (issue 24) on a database made
before the move, so that ``-u`` keeps the records instead of deleting and recreating them.

Run as the first step of updating either addon (their pre-migrations). The xml ids the platform
owns are read from its own source: the ids of its data files, and for each model it defines
its ``model_``, ``field_``, ``selection__`` and ``constraint_`` ids; for each model it extends,
the ``field_`` and ``selection__`` ids of the fields it adds. Rows of ``guarantee_base`` with
those names get the module ``guarantee_platform`` (a row the platform already has wins).
"""

import ast
import logging
import os
import re

_logger = logging.getLogger(__name__)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FROM_MODULE = "guarantee_base"
TO_MODULE = "guarantee_platform"
MOVED_PARAMETERS = (
    "inbound_max_amount", "session_idle_minutes", "password_min_classes", "trusted_proxies",
)
_XML_ID = re.compile(r"""\bid=["']([\w]+)["']""")
_FIELD = re.compile(r"^    (\w+) = fields\.", re.M)


def _data_ids():
    with open(os.path.join(ROOT, "__manifest__.py"), encoding="utf-8") as handle:
        files = ast.literal_eval(handle.read()).get("data", [])
    names = set()
    for path in files:
        with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
            text = handle.read()
        if path.endswith(".csv"):
            names.update(line.split(",", 1)[0] for line in text.splitlines()[1:] if line)
        else:
            names.update(_XML_ID.findall(text))
    return names


def _class_bodies():
    """(model defined or None, model extended or None, field names) of each model class."""
    for folder in ("models", "wizards"):
        directory = os.path.join(ROOT, folder)
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                tree = ast.parse(handle.read())
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    yield _class_summary(node, ast.get_source_segment)


def _class_summary(node, _segment):
    defined = extended = None
    fields = []
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if not isinstance(target, ast.Name):
                continue
            value = statement.value
            if target.id == "_name" and isinstance(value, ast.Constant):
                defined = value.value
            elif target.id == "_inherit" and isinstance(value, ast.Constant):
                extended = value.value
            elif (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                  and isinstance(value.func.value, ast.Name) and value.func.value.id == "fields"):
                fields.append(target.id)
    return defined, extended, fields


def owned_names():
    """(exact names, name prefixes) of the xml ids the platform owns."""
    exact, prefixes = _data_ids(), set()
    for defined, extended, fields in _class_bodies():
        if defined:
            key = defined.replace(".", "_")
            exact.add("model_" + key)
            prefixes.update({"field_%s__" % key, "selection__%s__" % key,
                             "constraint_%s_" % key})
        elif extended:
            key = extended.replace(".", "_")
            for field in fields:
                exact.add("field_%s__%s" % (key, field))
                prefixes.add("selection__%s__%s__" % (key, field))
    return exact, prefixes


def adopt(cr):
    """Give the platform the rows of guarantee_base it now owns; rename the System
    Parameters that moved with their services. Returns the number of rows adopted."""
    exact, prefixes = owned_names()
    match = "(name = ANY(%(exact)s) OR EXISTS (SELECT 1 FROM unnest(%(prefixes)s) p " \
            "WHERE left(name, length(p)) = p))"
    values = {"exact": sorted(exact), "prefixes": sorted(prefixes), "old": FROM_MODULE,
              "new": TO_MODULE}
    cr.execute(
        "DELETE FROM ir_model_data old WHERE module = %(old)s AND " + match + " AND EXISTS ("
        "SELECT 1 FROM ir_model_data new WHERE new.module = %(new)s AND new.name = old.name)",
        values,
    )
    cr.execute(
        "UPDATE ir_model_data SET module = %(new)s WHERE module = %(old)s AND " + match,
        values,
    )
    adopted = cr.rowcount
    for key in MOVED_PARAMETERS:
        cr.execute(
            "UPDATE ir_config_parameter SET key = %s WHERE key = %s AND NOT EXISTS ("
            "SELECT 1 FROM ir_config_parameter WHERE key = %s)",
            ("%s.%s" % (TO_MODULE, key), "%s.%s" % (FROM_MODULE, key), "%s.%s" % (TO_MODULE, key)),
        )
    if adopted:
        _logger.info("%s xml ids moved from %s to %s", adopted, FROM_MODULE, TO_MODULE)
    return adopted
