from odoo import _, api, models
from odoo.exceptions import UserError

# What Odoo itself writes on any file (a sharing link): never the file nor where it belongs.
_FREE_FIELDS = {"access_token"}


class IrAttachment(models.Model):
    """The files a locked guarantee record holds (a verified checklist document, the
    evidence of an approved compensation…) are part of that record: they are not replaced,
    moved or deleted through ``ir.attachment``, by anyone, and no file is added to a locked
    record through its ``res_model``/``res_id``."""

    _inherit = "ir.attachment"

    @api.model
    def _guarantee_file_holders(self):
        """The models whose locked records hold files; each implements
        ``_guarantee_locked_holders(attachments)`` and ``_guarantee_locked_targets(ids)``.
        The addon that owns a model adds it here."""
        return ["guarantee.document"]

    @api.model_create_multi
    def create(self, vals_list):
        self._guarantee_check_targets(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - _FREE_FIELDS:
            self._guarantee_check_free()
            if "res_model" in vals or "res_id" in vals:
                self._guarantee_check_targets([
                    {"res_model": vals.get("res_model", attachment.res_model),
                     "res_id": vals.get("res_id", attachment.res_id)}
                    for attachment in self.sudo()
                ])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _guarantee_unlink_except_locked(self):
        self._guarantee_check_free()

    def _guarantee_check_free(self):
        """Refuse when a locked guarantee record holds one of these files."""
        attachments = self.sudo()
        holders = []
        for model in self._guarantee_file_holders():
            holders += self.env[model].sudo()._guarantee_locked_holders(attachments)
        if holders:
            raise UserError(
                _(
                    "These files belong to %(records)s as it was verified or approved: they "
                    "cannot be replaced, moved or deleted.",
                    records=", ".join(record.display_name for record in holders),
                )
            )

    @api.model
    def _guarantee_check_targets(self, vals_list):
        """Refuse files attached (``res_model``/``res_id``) to a locked record."""
        wanted = {}
        for vals in vals_list:
            if vals.get("res_model") in self._guarantee_file_holders() and vals.get("res_id"):
                wanted.setdefault(vals["res_model"], set()).add(vals["res_id"])
        for model, res_ids in wanted.items():
            locked = self.env[model].sudo()._guarantee_locked_targets(list(res_ids))
            if locked:
                raise UserError(
                    _(
                        "%(records)s is verified or approved: no file is added to it.",
                        records=", ".join(locked.mapped("display_name")),
                    )
                )
