"""Scorecards, scoring and first review moved to guarantee_scoring (issue 24).

That addon is new: an update of guarantee_risk alone would leave guarantee_contract, which now
depends on it, unloaded. The update is refused unless guarantee_scoring is being installed in
the same run (all guarantee addons updated together); its pre-init hook then hands the moved
external ids over to it.
"""

from odoo.exceptions import UserError


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT name, state FROM ir_module_module WHERE name IN %s",
               [("guarantee_contract", "guarantee_scoring")])
    states = dict(cr.fetchall())
    if states.get("guarantee_contract") == "installed" and states.get("guarantee_scoring") not in (
        "to install", "installed", "to upgrade"
    ):
        raise UserError(
            "guarantee_scoring is new: scorecards, scoring and first review moved there from "
            "guarantee_risk. Update every guarantee addon at once, e.g. -u guarantee_platform,"
            "guarantee_base,guarantee_risk,guarantee_scoring,guarantee_contract,"
            "guarantee_accounting,guarantee_reporting,guarantee_api (or -u all), so that "
            "guarantee_scoring is installed as guarantee_contract's new dependency."
        )
