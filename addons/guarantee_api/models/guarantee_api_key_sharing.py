from odoo import fields, models


class GuaranteeApiKey(models.Model):
    """A re-guarantor's or fund's key reads what concerns it under its agreements: the
    projects filed with it and the claims sent to it. It is never a bank or platform of
    projects, so the project routes show it nothing."""

    _inherit = "guarantee.api.key"

    scope_sharing = fields.Boolean(
        string="Read Filings and Claims", tracking=True,
        help="The projects filed with this partner under its risk-sharing agreements and the "
        "compensation claims sent to it.",
    )

    def _has_scope(self, scope):
        if scope == "sharing":
            self.ensure_one()
            return self.scope_sharing
        return super()._has_scope(scope)

    def _project_domain(self):
        if self.partner_kind == "reguarantor":
            return [("id", "=", 0)]
        return super()._project_domain()
