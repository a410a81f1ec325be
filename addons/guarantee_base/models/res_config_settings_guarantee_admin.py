from odoo import _, api, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    """The guarantee administrator opens Settings ▸ Guarantee and saves the guarantee
    settings of its company (fields ``guarantee_*`` related to the company), and nothing
    else: the other settings, modules included, stay the system administrators'."""

    _inherit = "res.config.settings"

    def _guarantee_admin_only(self):
        """True for a guarantee administrator who is not a system administrator."""
        return not self.env.is_admin() and self.env.user.has_group(
            "guarantee_base.group_guarantee_admin"
        )

    @api.model_create_multi
    def create(self, vals_list):
        """The settings form writes the company's related fields when it is saved: for the
        guarantee administrator only the guarantee ones are kept, and written as superuser
        (the administrator may not write companies otherwise)."""
        if not self._guarantee_admin_only():
            return super().create(vals_list)
        allowed = set(self._guarantee_company_settings())
        kept = [{key: value for key, value in vals.items() if key in allowed}
                for vals in vals_list]
        companies = self.env.user.company_ids
        if any(vals.get("company_id", self.env.company.id) not in companies.ids
               for vals in vals_list):
            raise AccessError(_("You may change the settings of your own companies only."))
        return super(ResConfigSettings, self.sudo()).create(kept).with_env(self.env)

    def execute(self):
        if not self._guarantee_admin_only():
            return super().execute()
        self.ensure_one()
        self._guarantee_admin_save()
        return {"type": "ir.actions.client", "tag": "reload"}

    def _guarantee_company_settings(self):
        """{settings field: company field} of the guarantee settings."""
        return {
            name: field.related.split(".", 1)[1]
            for name, field in self._fields.items()
            if name.startswith("guarantee_") and field.related
            and field.related.startswith("company_id.") and not field.readonly
            and field.related.count(".") == 1
        }

    def _guarantee_admin_save(self):
        company = self.company_id
        if company not in self.env.user.company_ids:
            raise AccessError(_("You may change the settings of your own companies only."))
        values = {
            company_field: self._fields[name].convert_to_write(self[name], self)
            for name, company_field in self._guarantee_company_settings().items()
        }
        company.sudo().write(values)
