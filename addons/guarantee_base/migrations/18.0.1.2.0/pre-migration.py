from collections import deque

from odoo import SUPERUSER_ID, api

# Models moved to guarantee_platform (issue 24): their external ids follow them, so that the end
# of this update does not delete, as base's own obsolete data, a model the platform now defines.
MOVED_TO_PLATFORM = ("model_guarantee_lock_mixin",)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DELETE FROM ir_model_data old
         USING ir_model_data new
         WHERE old.module = 'guarantee_base' AND new.module = 'guarantee_platform'
           AND old.name = new.name AND old.name IN %s
        """,
        [MOVED_TO_PLATFORM],
    )
    cr.execute(
        "UPDATE ir_model_data SET module = 'guarantee_platform' "
        "WHERE module = 'guarantee_base' AND name IN %s",
        [MOVED_TO_PLATFORM],
    )
    # `-u guarantee_base` alone does not update the platform below it: the models the platform
    # gained since it was installed (the sequence mixin) are not in ir_model yet, and base's
    # models that inherit them could not record their parents. Reflect them now, as the
    # platform's.
    env = api.Environment(cr, SUPERUSER_ID, {"module": "guarantee_platform"})
    names = sorted(
        name for name, model in env.registry.items()
        if model._original_module == "guarantee_platform"
    )
    cr.execute("SELECT model FROM ir_model WHERE model IN %s", [tuple(names)])
    missing = sorted(set(names) - {model for (model,) in cr.fetchall()})
    if missing:
        registry = env.registry
        registry._post_init_queue = deque()  # what ``init_models`` sets up around a reflection
        try:
            env["ir.model"]._reflect_models(missing)
            while registry._post_init_queue:
                registry._post_init_queue.popleft()()
        finally:
            del registry._post_init_queue
