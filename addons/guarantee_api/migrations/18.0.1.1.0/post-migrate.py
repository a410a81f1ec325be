from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

# what the API now writes into: the platform's call log and event store
PLATFORM_MODELS = ["guarantee.connector.call.log", "guarantee.connector.event"]


def migrate(cr, version):
    """The partner API's calls and idempotency answers now live in the platform's call log and
    event store (issue 24), with columns and a purge the platform gained in the same release.
    When only ``-u guarantee_api`` is run, the platform is not updated: create those columns
    and the purge here (what the platform's own update does; nothing changes when it already
    ran). The API's old tables go: Odoo removes the models' records but drops no table of a
    model its code no longer has. Nothing was in production: nothing is copied."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.registry.init_models(cr, PLATFORM_MODELS, {"module": "guarantee_platform"})
    # the one retention cron replaces the API's own purges (records of a noupdate file: an
    # existing one is left as it is)
    convert_file(env, "guarantee_platform", "data/ir_cron_data.xml", {}, mode="update",
                 noupdate=True)
    cr.execute("DROP TABLE IF EXISTS guarantee_api_call_log, guarantee_api_idempotency")
