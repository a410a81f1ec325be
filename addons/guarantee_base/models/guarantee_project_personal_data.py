from odoo import api, models

from odoo.addons.guarantee_platform.models.base_masking import masks_apply as _masks_apply


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
                values["partner_uscc"] = partner._masked_value(
                    "uscc", values["partner_uscc"]
                )
        return result
