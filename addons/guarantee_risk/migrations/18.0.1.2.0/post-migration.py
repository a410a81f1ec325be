from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Numbers with a year restart every year: the addon's sequences use date ranges (their data
    is noupdate, so an update would not change them). The portfolio aggregates are new: built
    from the projects and the snapshots already taken."""
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_sequence seq
           SET use_date_range = TRUE,
               prefix = replace(seq.prefix, '%(year)s', '%(range_year)s')
          FROM ir_model_data imd
         WHERE imd.model = 'ir.sequence' AND imd.res_id = seq.id
           AND imd.module = 'guarantee_risk'
           AND seq.prefix LIKE '%%(year)s%%' AND NOT coalesce(seq.use_date_range, FALSE)
        """
    )
    api.Environment(cr, SUPERUSER_ID, {})["guarantee.position.aggregate"]._rebuild_all()
