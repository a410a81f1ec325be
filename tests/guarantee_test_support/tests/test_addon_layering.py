"""A lower addon never names a higher one (docs/architecture.md).

Every Python import of `odoo.addons.guarantee_*`, every XML id `guarantee_*.<id>` and every
guarantee model name written in an addon's code, views, data and security files must belong to
the addon itself or to one it depends on, directly or not. Tests may reach higher only from the
cross-addon test addon, which depends on all of them.
"""

import ast
import os
import re

from odoo.modules.module import get_module_path
from odoo.tests import BaseCase, tagged

PROJECT_ADDONS = (
    "guarantee_platform",
    "guarantee_base",
    "guarantee_risk",
    "guarantee_scoring",
    "guarantee_contract",
    "guarantee_accounting",
    "guarantee_reporting",
    "guarantee_api",
    "guarantee_test_support",
)
SOURCE_SUFFIXES = (".py", ".xml", ".csv", ".js")
ADDON_NAME = re.compile(
    r"odoo\.addons\.(guarantee_\w+)|\b(guarantee_[a-z_]+)\.(?=[a-z_])"
)
MODEL_DEFINITION = re.compile(r"""^\s*_name\s*=\s*["']([\w.]+)["']""", re.M)
MODEL_NAME = re.compile(r"""["'](guarantee\.[\w.]+)["']""")


def _manifest_depends(addon):
    path = os.path.join(get_module_path(addon), "__manifest__.py")
    with open(path, encoding="utf-8") as manifest:
        return ast.literal_eval(manifest.read())["depends"]


def _source_files(addon, with_tests=True, with_migrations=True):
    root = get_module_path(addon)
    for directory, _subdirs, files in os.walk(root):
        if not with_tests and os.sep + "tests" in directory[len(root):]:
            continue
        if not with_migrations and os.sep + "migrations" in directory[len(root):]:
            continue
        for name in files:
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(directory, name)


def _lines(path):
    with open(path, encoding="utf-8") as handle:
        yield from enumerate(handle, 1)


@tagged("post_install", "-at_install")
class TestAddonLayering(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.depends = {addon: _manifest_depends(addon) for addon in PROJECT_ADDONS}
        cls.model_owner = {}
        for addon in PROJECT_ADDONS:
            for path in _source_files(addon, with_tests=False):
                if path.endswith(".py"):
                    with open(path, encoding="utf-8") as handle:
                        for model in MODEL_DEFINITION.findall(handle.read()):
                            cls.model_owner.setdefault(model, addon)

    def _reachable(self, addon):
        """The addon and every project addon below it, by its manifests' dependencies."""
        seen, todo = {addon}, [addon]
        while todo:
            for dependency in self.depends.get(todo.pop(), ()):
                if dependency not in seen:
                    seen.add(dependency)
                    todo.append(dependency)
        return seen

    def test_the_addons_depend_on_each_other_in_one_line(self):
        """platform < base < risk < scoring < contract < accounting < reporting and api
        (DESIGN's order)."""
        below = {
            "guarantee_base": "guarantee_platform",
            "guarantee_risk": "guarantee_base",
            "guarantee_scoring": "guarantee_risk",
            "guarantee_contract": "guarantee_scoring",
            "guarantee_accounting": "guarantee_contract",
            "guarantee_reporting": "guarantee_accounting",
            "guarantee_api": "guarantee_accounting",
        }
        for addon, lower in below.items():
            self.assertIn(lower, self._reachable(addon), addon)
            self.assertNotIn(addon, self._reachable(lower), lower)
        self.assertNotIn("guarantee_reporting", self._reachable("guarantee_api"))
        self.assertNotIn("guarantee_api", self._reachable("guarantee_reporting"))

    def test_no_addon_imports_or_references_a_higher_one(self):
        offences = []
        for addon in PROJECT_ADDONS:
            allowed = self._reachable(addon)
            for path in _source_files(addon):
                for number, line in _lines(path):
                    for imported, referenced in ADDON_NAME.findall(line):
                        named = imported or referenced
                        if named in PROJECT_ADDONS and named not in allowed:
                            offences.append("%s:%s names %s" % (path, number, named))
        self.assertEqual(offences, [])

    def test_no_addon_uses_a_model_of_a_higher_one(self):
        """Migrations are left out: an addon that gave models away to a higher one (risk's
        scorecards to guarantee_scoring) names them once, to hand their data over."""
        offences = []
        for addon in PROJECT_ADDONS:
            allowed = self._reachable(addon)
            for path in _source_files(addon, with_tests=False, with_migrations=False):
                for number, line in _lines(path):
                    for model in MODEL_NAME.findall(line):
                        owner = self.model_owner.get(model)
                        if owner and owner not in allowed:
                            offences.append("%s:%s uses %s of %s" % (path, number, model, owner))
        self.assertEqual(offences, [])

    def test_the_check_sees_a_reference_upwards(self):
        """The patterns catch what they are meant to: a risk line naming accounting."""
        api = "guarantee" + "_api"  # not written whole: this file would name it itself
        line = 'from odoo.addons.guarantee_accounting.models import x  # env.ref("%s.k")' % api
        named = {imported or referenced for imported, referenced in ADDON_NAME.findall(line)}
        self.assertEqual(named, {"guarantee_accounting", api})
        self.assertEqual(MODEL_NAME.findall("self.env['guarantee.payment.order']"),
                         ["guarantee.payment.order"])
        self.assertEqual(self.model_owner["guarantee.payment.order"], "guarantee_accounting")
        self.assertNotIn("guarantee_accounting", self._reachable("guarantee_risk"))
