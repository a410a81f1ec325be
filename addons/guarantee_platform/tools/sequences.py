"""Sequences: the SQL that makes year-prefixed sequences restart every year (the ORM side is
``sequence.number.mixin``)."""


def restart_yearly(cr, module):
    """Make the sequences of ``module`` whose prefix carries a year restart every year: date
    ranges, and the range's year in the prefix. For databases made before their data said so
    (sequence data is noupdate: an update alone does not change them)."""
    cr.execute(
        """
        UPDATE ir_sequence seq
           SET use_date_range = TRUE,
               prefix = replace(seq.prefix, '%%(year)s', '%%(range_year)s')
          FROM ir_model_data imd
         WHERE imd.model = 'ir.sequence' AND imd.res_id = seq.id AND imd.module = %s
           AND seq.prefix LIKE '%%%%(year)s%%%%' AND NOT coalesce(seq.use_date_range, FALSE)
        """,
        [module],
    )
