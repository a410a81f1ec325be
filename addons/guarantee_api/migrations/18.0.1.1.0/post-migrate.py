from odoo import SUPERUSER_ID, api

# what the API now writes into: the platform's call log and event store
PLATFORM_MODELS = ["guarantee.connector.call.log", "guarantee.connector.event"]


def migrate(cr, version):
    """The partner API's calls and idempotency answers now live in the platform's call log and
    event store (issue 24), with columns the platform gained in the same release. When only
    ``-u guarantee_api`` is run, the platform is not updated: create those columns here (what
    the platform's own update does; nothing happens when it already ran). The API's old tables
    go: Odoo removes the models' records but drops no table of a model its code no longer
    has. Nothing was in production: nothing is copied."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.registry.init_models(cr, PLATFORM_MODELS, {"module": "guarantee_platform"})
    cr.execute("DROP TABLE IF EXISTS guarantee_api_call_log, guarantee_api_idempotency")
