import json
import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.guarantee_platform.tools.connectors import ConnectorError

from ..tools import data_adapters  # noqa: F401  (registers the adapters)
from ..tools.registry_profile import KEYS, diff, fingerprint

_logger = logging.getLogger(__name__)


class GuaranteeDataProvider(models.Model):
    """A business-registry / court / tax data provider (企查查、天眼查…) reached over REST."""

    _name = "guarantee.data.provider"
    _description = "Registry and Court Data Provider"
    _inherit = ["guarantee.connector.mixin"]
    _connector_kind = "data"

    field_mapping = fields.Text(
        help="JSON object mapping our keys (legal_representative, shareholders, "
        "registered_capital, address, name, tax_credit_grade, lawsuits, judgments, "
        "enforcements, dishonest, penalties, abnormal_operations, changes) to the provider's "
        "key or dotted path, e.g. {\"legal_representative\": \"basic.legalPerson\"}.",
    )
    endpoint_ids = fields.One2many(
        "guarantee.data.provider.endpoint", "provider_id", string="Endpoints",
        help="One path per kind of data; none: the whole profile at /companies/{uscc}.",
    )

    @api.constrains("field_mapping")
    def _check_field_mapping(self):
        for provider in self.filtered("field_mapping"):
            self._parse_mapping(provider.field_mapping, KEYS, provider.name)

    @api.model
    def _parse_mapping(self, text, keys, provider_name):
        """The mapping ``text`` as a dict from some of ``keys`` to the provider's paths."""
        try:
            mapping = json.loads(text)
        except ValueError:
            mapping = None
        if not isinstance(mapping, dict) or not set(mapping) <= set(keys) or not all(
            isinstance(value, str) and value for value in mapping.values()
        ):
            raise ValidationError(_(
                "The field mapping of %(provider)s must be a JSON object from our keys "
                "(%(keys)s) to the provider's keys.",
                provider=provider_name, keys=", ".join(sorted(keys)),
            ))
        return mapping

    def _connector_config(self, **options):
        options.setdefault("mapping", json.loads(self.field_mapping or "{}"))
        options.setdefault("endpoints", [e._adapter_options() for e in self.endpoint_ids])
        return super()._connector_config(**options)

    @api.model
    def _default_for(self, company):
        return self.search([("company_id", "=", company.id)], limit=1)

    def _poll(self, partners):
        """Fetch each partner's profile and raise a signal for every change since the last
        snapshot. Returns (partners checked, partners failed); a failed partner keeps its
        snapshot and its watch date, so the next round asks again and nothing is lost.
        """
        self.ensure_one()
        adapter = self._connector_adapter()
        Snapshot = self.env["guarantee.partner.profile"].sudo()
        snapshots = {s.partner_id.id: s for s in Snapshot.search(
            [("provider_id", "=", self.id), ("partner_id", "in", partners.ids)])}
        checked, failed = self.env["res.partner"], self.env["res.partner"]
        changes_by_partner = {}
        for partner in partners:
            try:
                profile = adapter.company_profile(partner.uscc)
            except ConnectorError as error:
                _logger.info("Data provider %s: %s not checked: %s", self.id, partner.id,
                             type(error).__name__)
                failed |= partner
                continue
            snapshot = snapshots.get(partner.id)
            old = json.loads(snapshot.data) if snapshot else None
            changes_by_partner[partner] = diff(old, profile)
            values = {"data": json.dumps(profile, ensure_ascii=False, sort_keys=True),
                      "fingerprint": fingerprint(profile), "date_checked": fields.Datetime.now()}
            if snapshot:
                if snapshot.fingerprint != values["fingerprint"]:
                    snapshot.write(values)
                else:
                    snapshot.date_checked = values["date_checked"]
            else:
                Snapshot.create(dict(values, provider_id=self.id, partner_id=partner.id))
            checked |= partner
        self.env["guarantee.risk.signal"]._create_from_changes(self, changes_by_partner)
        return checked, failed
