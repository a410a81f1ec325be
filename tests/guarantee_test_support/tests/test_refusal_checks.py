"""No test checks a refusal with a bare ``assertRaises(UserError)`` (issue 21).

In Odoo 18 ``AccessError``, ``ValidationError``, ``MissingError`` and ``AccessDenied`` are
subclasses of ``UserError``: ``assertRaises(UserError)`` and ``assertRaisesRegex(UserError, …)``
pass when an access rule stopped the call instead of the business rule the test is about. A
refusal is checked with ``assertRaisesExactly(<class>, "<message pattern>")``
(guarantee_base/tests/refusals.py), which checks the class itself and the message.

This test reads every test file of the project's addons and fails on an ``assertRaises`` or
``assertRaisesRegex`` (as a context manager or a call) whose expected exception is ``UserError``,
``ValidationError`` or a catch-all (``Exception``), alone or in a tuple, unless the call is on
ALLOWED below with the reason it must stay. Checks of other classes (``AccessError``, which has
no subclass, ``ValueError``, a connector's own errors…) are not concerned.
"""

import ast
import os

from odoo.modules.module import get_module_path
from odoo.tests import BaseCase, tagged

from .test_addon_layering import PROJECT_ADDONS

LOOSE_CHECKS = ("assertRaises", "assertRaisesRegex")
TOO_WIDE = ("UserError", "ValidationError", "Exception", "BaseException")

# "<addon>/tests/<file>.py:<test function>": why the loose check must stay. Keep it short.
ALLOWED = {}


def _exception_names(node):
    """The class names an ``assertRaises`` argument names (``UserError``,
    ``exceptions.UserError``, a tuple of them)."""
    if isinstance(node, ast.Tuple):
        return [name for element in node.elts for name in _exception_names(element)]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    return []


def loose_refusal_checks(source, filename="<test>"):
    """[(line, function, check, class)] of the too-wide refusal checks in ``source``."""
    found = []
    tree = ast.parse(source, filename)
    functions = [
        node for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]

    def enclosing(line):
        inside = [f for f in functions if f.lineno <= line <= (f.end_lineno or f.lineno)]
        return max(inside, key=lambda f: f.lineno).name if inside else "<module>"

    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOOSE_CHECKS
            and node.args
        ):
            continue
        for name in _exception_names(node.args[0]):
            if name in TOO_WIDE:
                found.append((node.lineno, enclosing(node.lineno), node.func.attr, name))
    return sorted(found)


def _test_files():
    for addon in PROJECT_ADDONS:
        root = get_module_path(addon)
        for directory, _subdirs, files in os.walk(os.path.join(root, "tests")):
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(directory, name)
                    yield f"{addon}/{os.path.relpath(path, root)}", path


@tagged("post_install", "-at_install")
class TestRefusalChecks(BaseCase):
    def test_no_test_checks_a_refusal_by_a_class_with_subclasses(self):
        offences, allowed_seen = [], set()
        for shown, path in _test_files():
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
            for line, function, check, name in loose_refusal_checks(source, path):
                key = f"{shown}:{function}"
                if key in ALLOWED:
                    allowed_seen.add(key)
                    continue
                offences.append(f"{shown}:{line} {function}: {check}({name}, …)")
        self.assertEqual(
            offences, [],
            "use self.assertRaisesExactly(<the class the code raises>, <its message pattern>)",
        )
        # an allow-list entry that no longer matches anything is removed, not kept "just in case"
        self.assertEqual(set(ALLOWED) - allowed_seen, set())

    def test_the_check_sees_every_loose_form(self):
        """The reader catches what it is meant to, and leaves exact checks alone."""
        sample = '''
from odoo import exceptions
from odoo.exceptions import AccessError, UserError, ValidationError

class T:
    def test_bare(self):
        with self.assertRaises(UserError):
            pass

    def test_regex(self):
        with self.assertRaisesRegex(
            ValidationError, "x"
        ):
            pass

    def test_module_and_tuple(self):
        with self.assertRaises((AccessError, exceptions.UserError)):
            pass

    def test_as_a_call(self):
        self.assertRaisesRegex(Exception, "x", print)

    def test_exact(self):
        with self.assertRaisesExactly(UserError, "^x"):
            pass
        with self.assertRaises(AccessError):
            pass
        with self.assertRaises(ValueError):
            pass
'''
        self.assertEqual(loose_refusal_checks(sample), [
            (7, "test_bare", "assertRaises", "UserError"),
            (11, "test_regex", "assertRaisesRegex", "ValidationError"),
            (17, "test_module_and_tuple", "assertRaises", "UserError"),
            (21, "test_as_a_call", "assertRaisesRegex", "Exception"),
        ])
