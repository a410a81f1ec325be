"""Masking of personal data in every answer to a user: reads, exports, groups and chatter
tracking. A model names its masked fields in ``_masked_fields`` ({field: kind of mask}, kinds
in ``MASKS``) and may override ``_masked_value`` to mask record by record (a company's
registration number is public, a person's ID number is not). Only the superuser (internal
code) reads the full values; revealing them to a user is the business addons' concern."""

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..tools.masking import mask_account, mask_id_number, mask_phone

MASKS = {"id_number": mask_id_number, "phone": mask_phone, "account": mask_account}


def masks_apply(env):
    """Personal data is masked for every user; only internal code (superuser) reads it whole."""
    return not env.su


class Base(models.AbstractModel):
    """Exports mask personal data whatever path leads to it (``partner_id/uscc``,
    ``partner_bank_id/acc_number``, a related field): each model names its masked fields in
    ``_masked_fields`` (field name → kind of mask)."""

    _inherit = "base"
    _masked_fields = {}

    def _read_format(self, fnames, load="_classic_read"):
        """Every read a user makes (lists, forms, the web client) shows the masked value of the
        fields in ``_masked_fields``, through ``_masked_value`` record by record."""
        result = super()._read_format(fnames, load=load)
        masked = [name for name in self._masked_fields if name in fnames]
        if masked and masks_apply(self.env):
            records = {record.id: record for record in self.sudo()}  # one prefetch
            for values in result:
                record = records[values["id"]]
                for name in masked:
                    values[name] = record._masked_value(name, values[name])
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if masks_apply(self.env):
            columns = [
                (index, mask)
                for index, path in enumerate(fields_to_export)
                if (mask := self._masked_export(path))
            ]
            for row in result.get("datas", []) if columns else ():
                for index, mask in columns:
                    if isinstance(row[index], str):
                        row[index] = mask(row[index])
        return result

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        """Grouping is a read path too (``web_read_group``, the kanban progress bars and the
        grouped exports all come here): a group on a masked field shows the masked value as its
        label and opens through the ids of its records, never through the full value; a
        masked field cannot be aggregated into values (only counted)."""
        if not masks_apply(self.env):
            return super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                      orderby=orderby, lazy=lazy)
        self._masked_check_aggregates(fields)
        specs = [groupby] if isinstance(groupby, str) else list(groupby or ())
        masked = {
            spec: mask for spec in specs
            if (mask := self._masked_export(spec.split(":")[0]))
        }
        rows = super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                  orderby=orderby, lazy=lazy)
        if masked and rows:
            self._masked_groups(rows, domain, masked)
        return rows

    @api.model
    def _masked_check_aggregates(self, fields):
        for spec in fields or ():
            name, _sep, func = spec.partition(":")
            if "(" in func:  # "alias:func(field)"
                func, _sep, name = func.rstrip(")").partition("(")
            if func not in ("", "count", "count_distinct") and self._masked_export(name):
                raise AccessError(
                    _("Personal data (%(field)s) can only be counted in a grouped view, "
                      "not aggregated.", field=name)
                )

    @api.model
    def _masked_groups(self, rows, domain, masked):
        """Mask the group values of ``masked`` (groupby spec -> mask) in ``rows`` and replace
        their full values in the groups' domains by the ids of the records."""
        ids_by_value = {}
        for spec in masked:
            name = spec.split(":")[0]
            ids_by_value[spec] = dict(self._read_group(domain or [], [name], ["id:array_agg"]))
        for row in rows:
            for spec, mask in masked.items():
                if spec not in row:
                    continue
                full = row[spec]
                if full:
                    ids = ids_by_value[spec].get(full, [])
                    row["__domain"] = [
                        ("id", "in", ids)
                        if isinstance(leaf, (list, tuple)) and len(leaf) == 3
                        and leaf[0] == spec and leaf[2] == full
                        else leaf
                        for leaf in row.get("__domain", [])
                    ]
                    row[spec] = mask(full)

    def _masked_value(self, field_name, value):
        """``value`` of this record's field as users see it."""
        mask = MASKS.get(self._masked_fields.get(field_name))
        return mask(value) if mask and value else value

    @api.model
    def _masked_export(self, path):
        """The mask of the field an export path ends on (related fields followed), or None."""
        model, field = self, None
        for name in path.replace(".", "/").split("/"):
            field = model._fields.get(name)
            if field is None:
                return None
            while field.related:
                field = field.related_field
            if field.relational:
                model = self.env[field.comodel_name]
        kind = self.env[field.model_name]._masked_fields.get(field.name)
        return MASKS.get(kind)


class MailTrackingValue(models.Model):
    """Chatter tracking of a masked field stores the masked values: the full history stays in
    the audit log, which only administrators and auditors read."""

    _inherit = "mail.tracking.value"

    @api.model
    def _create_tracking_values(self, initial_value, new_value, col_name, col_info, record):
        values = super()._create_tracking_values(
            initial_value, new_value, col_name, col_info, record
        )
        if col_name in record._masked_fields:
            for key in ("old_value_char", "new_value_char"):
                if values.get(key):
                    values[key] = record._masked_value(col_name, values[key])
        return values
