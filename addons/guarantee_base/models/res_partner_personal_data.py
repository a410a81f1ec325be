from odoo import _, models
from odoo.exceptions import AccessError

from ..tools.masking import mask_account, mask_id_number, mask_phone

REVEAL_GROUP = "guarantee_base.group_guarantee_personal_data"


def _masks_apply(env):
    """Personal data is masked for every user; only internal code (superuser) reads it whole."""
    return not env.su


class ResPartner(models.Model):
    """ID numbers of persons and phone numbers are masked in every answer to a user (lists,
    forms, exports); users of the personal-data group reveal them one partner at a time, and
    each reveal is written to the audit log."""

    _inherit = "res.partner"

    def _guarantee_masked_value(self, field_name, value):
        if field_name == "uscc":
            return value if self.is_company else mask_id_number(value)
        return mask_phone(value)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [name for name in ("uscc", "phone", "mobile") if name in fnames]
        if masked and _masks_apply(self.env):
            partners = {partner.id: partner for partner in self.sudo()}  # one prefetch
            for values in result:
                partner = partners[values["id"]]
                for name in masked:
                    values[name] = partner._guarantee_masked_value(name, values[name])
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if _masks_apply(self.env):
            _mask_export(result, fields_to_export, {
                "uscc": mask_id_number, "phone": mask_phone, "mobile": mask_phone,
                "acc_number": mask_account, "bank_ids/acc_number": mask_account,
            })
        return result

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
    _inherit = "res.partner.bank"

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if _masks_apply(self.env):
            for values in result:
                for name in ("acc_number", "display_name"):
                    if name in values:
                        values[name] = mask_account(values[name])
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if _masks_apply(self.env):
            _mask_export(result, fields_to_export, {"acc_number": mask_account})
        return result


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

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

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if _masks_apply(self.env):
            _mask_export(result, fields_to_export, {
                "partner_uscc": mask_id_number, "partner_id/uscc": mask_id_number,
                "partner_id/phone": mask_phone, "partner_id/mobile": mask_phone,
            })
        return result


def _mask_export(result, fields_to_export, masks):
    """Mask the exported columns named in ``masks`` (by their field path)."""
    columns = [
        (index, masks[path.replace(".", "/")])
        for index, path in enumerate(fields_to_export)
        if path.replace(".", "/") in masks
    ]
    for row in result.get("datas", []):
        for index, mask in columns:
            if isinstance(row[index], str):
                row[index] = mask(row[index])
