import json

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.guarantee_platform.tools import connectors

from ..tools.registry_profile import DEFAULT_PATHS, KINDS


class GuaranteeDataProviderEndpoint(models.Model):
    """Where a data provider answers one kind of data (profile, change records, lawsuits…)
    and how its answer maps onto our keys. A provider without endpoints answers everything at
    ``/companies/{uscc}``."""

    _name = "guarantee.data.provider.endpoint"
    _description = "Data Provider Endpoint"
    _order = "provider_id, sequence, id"

    provider_id = fields.Many2one("guarantee.data.provider", required=True, index=True,
                                  ondelete="cascade")
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection([
        ("profile", "Profile (name, legal representative, capital, address, shareholders)"),
        ("changes", "Change Records"),
        ("lawsuits", "Lawsuits and Judgments"),
        ("enforcement", "Enforcement (被执行人, 失信)"),
        ("penalties", "Administrative Penalties"),
        ("abnormal", "Abnormal Operation List"),
        ("tax", "Tax Credit Grade"),
    ], required=True)
    path = fields.Char(
        required=True, compute="_compute_path", store=True, readonly=False, precompute=True,
        help="Path after the provider's base URL; {uscc} stands for the company's unified "
        "social credit code, e.g. /v2/companies/{uscc}/lawsuits.",
    )
    field_mapping = fields.Text(
        help="JSON object mapping our keys of this kind to the key or dotted path in this "
        "endpoint's answer (\".\" for the whole answer); empty: the provider's mapping.",
    )

    _sql_constraints = [
        ("kind_unique", "unique(provider_id, kind)",
         "A provider has one endpoint per kind of data."),
    ]

    @api.depends("kind", "provider_id.protocol")
    def _compute_path(self):
        """The default path of the kind: the vendor's documented API for a vendor protocol."""
        for endpoint in self:
            adapter = connectors.ADAPTERS.get(("data", endpoint.provider_id.protocol))
            defaults = getattr(adapter, "DEFAULT_PATHS", None) or DEFAULT_PATHS
            endpoint.path = defaults.get(endpoint.kind) or endpoint.path

    @api.constrains("path")
    def _check_path(self):
        for endpoint in self:
            if not endpoint.path.startswith("/") or "{uscc}" not in endpoint.path:
                raise ValidationError(_(
                    "The path of an endpoint starts with / and contains {uscc}, where the "
                    "company's credit code goes (%(path)s).", path=endpoint.path,
                ))

    @api.constrains("field_mapping", "kind")
    def _check_field_mapping(self):
        for endpoint in self.filtered("field_mapping"):
            self.env["guarantee.data.provider"]._parse_mapping(
                endpoint.field_mapping, KINDS[endpoint.kind], endpoint.provider_id.name)

    def _adapter_options(self):
        """What the adapter needs of this endpoint."""
        self.ensure_one()
        mapping = self.field_mapping or self.provider_id.field_mapping
        return {"kind": self.kind, "path": self.path, "keys": KINDS[self.kind],
                "mapping": json.loads(mapping or "{}")}
