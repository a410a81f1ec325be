from odoo import api, fields, models


class GuaranteeApiKeyReveal(models.TransientModel):
    """Shows a newly generated key once. The key is not stored here either: it travels in
    the dialog's context and is gone when the dialog closes."""

    _name = "guarantee.api.key.reveal"
    _description = "New Partner API Key"

    key_id = fields.Many2one("guarantee.api.key", required=True, readonly=True,
                             ondelete="cascade")
    plain_key = fields.Char(string="API Key", compute="_compute_plain_key")

    @api.depends_context("guarantee_api_plain_key")
    def _compute_plain_key(self):
        for reveal in self:
            reveal.plain_key = self.env.context.get("guarantee_api_plain_key", False)
