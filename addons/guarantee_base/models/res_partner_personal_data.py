from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.masking import mask_account, mask_id_number, mask_phone

REVEAL_GROUP = "guarantee_base.group_guarantee_personal_data"
MASKS = {"id_number": mask_id_number, "phone": mask_phone, "account": mask_account}


def _masks_apply(env):
    """Personal data is masked for every user; only internal code (superuser) reads it whole."""
    return not env.su


def _hidden_from_search(env):
    """Whether the user's searches must not match hidden personal data: searching for a full
    value would confirm it to a user who may never see it."""
    return not env.su and not env.user.has_group(REVEAL_GROUP)


def _searches_full_value(operator, value):
    """False for the "is set / is not set" checks, which reveal nothing."""
    return not (operator in ("=", "!=") and value in (False, None, True))


class Base(models.AbstractModel):
    """Exports mask personal data whatever path leads to it (``partner_id/uscc``,
    ``partner_bank_id/acc_number``, a related field): each model names its masked fields in
    ``_guarantee_masked_fields`` (field name → kind of mask)."""

    _inherit = "base"
    _guarantee_masked_fields = {}

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if _masks_apply(self.env):
            columns = [
                (index, mask)
                for index, path in enumerate(fields_to_export)
                if (mask := self._guarantee_export_mask(path))
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
        if not _masks_apply(self.env):
            return super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                      orderby=orderby, lazy=lazy)
        self._guarantee_check_masked_aggregates(fields)
        specs = [groupby] if isinstance(groupby, str) else list(groupby or ())
        masked = {
            spec: mask for spec in specs
            if (mask := self._guarantee_export_mask(spec.split(":")[0]))
        }
        rows = super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                  orderby=orderby, lazy=lazy)
        if masked and rows:
            self._guarantee_mask_groups(rows, domain, masked)
        return rows

    @api.model
    def _guarantee_check_masked_aggregates(self, fields):
        for spec in fields or ():
            name, _sep, func = spec.partition(":")
            if "(" in func:  # "alias:func(field)"
                func, _sep, name = func.rstrip(")").partition("(")
            if func not in ("", "count", "count_distinct") and self._guarantee_export_mask(name):
                raise AccessError(
                    _("Personal data (%(field)s) can only be counted in a grouped view, "
                      "not aggregated.", field=name)
                )

    @api.model
    def _guarantee_mask_groups(self, rows, domain, masked):
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

    def _guarantee_masked_value(self, field_name, value):
        """``value`` of this record's field as users see it."""
        mask = MASKS.get(self._guarantee_masked_fields.get(field_name))
        return mask(value) if mask and value else value

    @api.model
    def _guarantee_export_mask(self, path):
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
        kind = self.env[field.model_name]._guarantee_masked_fields.get(field.name)
        return MASKS.get(kind)


class ResPartner(models.Model):
    """ID numbers of persons and phone numbers are masked in every answer to a user (lists,
    forms, exports); users of the personal-data group reveal them one partner at a time, and
    each reveal is written to the audit log."""

    _inherit = "res.partner"
    _guarantee_masked_fields = {
        "uscc": "id_number", "phone": "phone", "mobile": "phone", "phone_sanitized": "phone",
    }

    def _guarantee_masked_value(self, field_name, value):
        if field_name == "uscc":
            return value if self.is_company else mask_id_number(value)
        return mask_phone(value)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [name for name in self._guarantee_masked_fields if name in fnames]
        if masked and _masks_apply(self.env):
            partners = {partner.id: partner for partner in self.sudo()}  # one prefetch
            for values in result:
                partner = partners[values["id"]]
                for name in masked:
                    values[name] = partner._guarantee_masked_value(name, values[name])
        return result

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """For users who may not reveal personal data, a search on phones matches nothing and
        a search on ID numbers only matches companies (a USCC is public and shown in full)."""
        sql = super()._condition_to_sql(alias, fname, operator, value, query)
        if (
            fname not in self._guarantee_masked_fields
            or not _searches_full_value(operator, value)
            or not _hidden_from_search(self.env)
        ):
            return sql
        negative = operator in expression.NEGATIVE_TERM_OPERATORS
        if fname != "uscc":
            return SQL("TRUE") if negative else SQL("FALSE")
        is_company = SQL("COALESCE(%s, FALSE)", self._field_to_sql(alias, "is_company", query))
        if negative:
            return SQL("(NOT %s OR %s)", is_company, sql)
        return SQL("(%s AND %s)", is_company, sql)

    def _search_phone_mobile_search(self, operator, value):
        """The phone search of the sms addon, which builds its SQL by itself."""
        if _searches_full_value(operator, value) and _hidden_from_search(self.env):
            negative = operator in expression.NEGATIVE_TERM_OPERATORS
            return expression.TRUE_DOMAIN if negative else expression.FALSE_DOMAIN
        return super()._search_phone_mobile_search(operator, value)

    def action_reveal_personal_data(self):
        """The full ID number, phones and bank accounts of one partner, logged as a reveal."""
        self.ensure_one()
        if not self.env.user.has_group(REVEAL_GROUP):
            raise AccessError(_("You may not see the full personal data of customers."))
        self.check_access("read")
        partner = self.sudo()
        values = {
            "uscc": partner.uscc or "",
            "phone": partner.phone or "",
            "mobile": partner.mobile or "",
            "bank_accounts": partner.bank_ids.mapped("acc_number"),
        }
        self.env["auditlog.log"].sudo().create({
            "name": partner.display_name,
            "model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "user_id": self.env.uid,
            "method": "reveal",
            "log_type": "fast",
        })
        return values

    def action_reveal_personal_data_notify(self):
        """The form's button: the reveal shown in a sticky notification."""
        values = self.action_reveal_personal_data()
        lines = [
            _("ID number / USCC: %(value)s", value=values["uscc"]),
            _("Phone: %(value)s", value=values["phone"]),
            _("Mobile: %(value)s", value=values["mobile"]),
            _("Bank accounts: %(value)s", value=", ".join(values["bank_accounts"])),
        ]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.display_name, "message": "\n".join(lines), "sticky": True},
        }


class ResPartnerBank(models.Model):
    """Account numbers are masked in reads, exports, labels (a many2one to an account shows its
    display name, read as superuser, so the label itself is masked for everyone except for the
    companies' own accounts) and tracking values; users who may not reveal them cannot find an
    account by its number."""

    _inherit = "res.partner.bank"
    _guarantee_masked_fields = {"acc_number": "account", "sanitized_acc_number": "account"}

    def _compute_display_name(self):
        super()._compute_display_name()
        own_partners = self.env["res.company"].sudo().search([]).partner_id
        for account in self:
            if account.acc_number and account.partner_id not in own_partners:
                account.display_name = account.display_name.replace(
                    account.acc_number, mask_account(account.acc_number)
                )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [name for name in self._guarantee_masked_fields if name in fnames]
        if masked and _masks_apply(self.env):
            for values in result:
                for name in masked:
                    values[name] = mask_account(values[name])
        return result

    def _condition_to_sql(self, alias, fname, operator, value, query):
        if (
            fname in self._guarantee_masked_fields
            and _searches_full_value(operator, value)
            and _hidden_from_search(self.env)
        ):
            return SQL("TRUE") if operator in expression.NEGATIVE_TERM_OPERATORS else SQL("FALSE")
        return super()._condition_to_sql(alias, fname, operator, value, query)


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    @api.model
    def _search(self, domain, *args, **kwargs):
        """Odoo searches a related field as superuser: the applicant's ID number is searched
        through the partner as the user, so that the search rules on personal data apply."""
        domain = [
            ("partner_id.uscc", *leaf[1:])
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == "partner_uscc"
            else leaf
            for leaf in domain
        ]
        return super()._search(domain, *args, **kwargs)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "partner_uscc" in fnames and _masks_apply(self.env):
            partners = {project.id: project.partner_id for project in self.sudo()}
            for values in result:
                partner = partners[values["id"]]
                values["partner_uscc"] = partner._guarantee_masked_value(
                    "uscc", values["partner_uscc"]
                )
        return result


class MailTrackingValue(models.Model):
    """Chatter tracking of a masked field stores the masked values: the full history stays in
    the audit log, which only administrators and auditors read."""

    _inherit = "mail.tracking.value"

    @api.model
    def _create_tracking_values(self, initial_value, new_value, col_name, col_info, record):
        values = super()._create_tracking_values(
            initial_value, new_value, col_name, col_info, record
        )
        if col_name in record._guarantee_masked_fields:
            for key in ("old_value_char", "new_value_char"):
                if values.get(key):
                    values[key] = record._guarantee_masked_value(col_name, values[key])
        return values
