from odoo import _, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.guarantee_platform.tools.masking import mask_id_number, mask_phone

REVEAL_GROUP = "guarantee_base.group_guarantee_personal_data"


def _hidden_from_search(env):
    """Whether the user's searches must not match hidden personal data: searching for a full
    value would confirm it to a user who may never see it."""
    return not env.su and not env.user.has_group(REVEAL_GROUP)


def _searches_full_value(operator, value):
    """False for the "is set / is not set" checks, which reveal nothing."""
    return not (operator in ("=", "!=") and value in (False, None, True))


class ResPartner(models.Model):
    """ID numbers of persons and phone numbers are masked in every answer to a user (lists,
    forms, exports); users of the personal-data group reveal them one partner at a time, and
    each reveal is written to the audit log."""

    _inherit = "res.partner"
    _masked_fields = {
        "uscc": "id_number", "phone": "phone", "mobile": "phone", "phone_sanitized": "phone",
    }

    def _masked_value(self, field_name, value):
        if field_name == "uscc":
            return value if self.is_company else mask_id_number(value)
        return mask_phone(value)

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """For users who may not reveal personal data, a search on phones matches nothing and
        a search on ID numbers only matches companies (a USCC is public and shown in full)."""
        sql = super()._condition_to_sql(alias, fname, operator, value, query)
        if (
            fname not in self._masked_fields
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
