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
