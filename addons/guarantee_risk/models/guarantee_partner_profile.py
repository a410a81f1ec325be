from odoo import fields, models


class GuaranteePartnerProfile(models.Model):
    """The last profile of a customer seen at a data provider, so that a poll records only
    what changed since (one row per customer and provider)."""

    _name = "guarantee.partner.profile"
    _description = "Customer Registry Profile Snapshot"
    _order = "date_checked desc, id desc"

    provider_id = fields.Many2one(
        "guarantee.data.provider", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    data = fields.Text(required=True, readonly=True)
    fingerprint = fields.Char(readonly=True)
    date_checked = fields.Datetime(readonly=True, index=True)

    _sql_constraints = [
        ("partner_provider_unique", "unique(provider_id, partner_id)",
         "A customer has one profile snapshot per provider."),
    ]
