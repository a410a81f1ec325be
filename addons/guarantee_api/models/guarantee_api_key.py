import hashlib
import hmac
import re
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.addresses import address_allowed, parse_networks

KEY_PREFIX = "gak_"
# what action_generate_key makes: the prefix, 8 hex digits, "_", 43 URL-safe characters
KEY_PATTERN = re.compile(r"gak_[0-9a-f]{8}_[A-Za-z0-9_-]{20,100}")
SCOPES = {
    "applications": "scope_applications",
    "projects": "scope_projects",
    "bank_notices": "scope_bank_notices",
}


def hash_key(plain_key):
    """The stored form of a key: its SHA-256 (the key is 256 random bits, so a plain hash
    cannot be reversed by guessing)."""
    return hashlib.sha256(plain_key.encode()).hexdigest()


class GuaranteeApiKey(models.Model):
    """One partner's access to the REST API. The key itself is shown once, when generated,
    and only its hash is kept."""

    _name = "guarantee.api.key"
    _description = "Partner API Key"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "partner_id, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Partner", required=True, index=True, tracking=True,
        ondelete="restrict",
        help="The bank or platform calling the API. A bank sees the projects whose creditor "
        "it is, a platform the projects it submitted.",
    )
    partner_kind = fields.Selection(
        [("bank", "Bank"), ("platform", "Platform"), ("reguarantor", "Re-guarantor")],
        string="Partner Kind", required=True, default="bank", tracking=True,
        help="A bank's applications name it as the creditor.",
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", required=True, tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="The project manager (A-role) of the applications this partner submits.",
    )
    creditor_ids = fields.Many2many(
        "res.partner", "guarantee_api_key_creditor_rel", "key_id", "partner_id",
        string="Lending Banks", check_company=True, tracking=True,
        domain="[('is_company', '=', True), ('is_guarantee_customer', '=', False)]",
        help="The banks this platform may name as the creditor of its applications (by their "
        "USCC). A bank's key always names the bank itself.",
    )
    bank_connector_id = fields.Many2one(
        "guarantee.bank.connector", string="Bank Connector", check_company=True, tracking=True,
        help="The connector whose notification processing receives this bank's notices; its "
        "bank must be the key's partner.",
    )
    scope_applications = fields.Boolean(string="Submit Applications", tracking=True)
    scope_projects = fields.Boolean(string="Read Projects", default=True, tracking=True)
    scope_bank_notices = fields.Boolean(string="Send Bank Notices", tracking=True)
    allowed_ips = fields.Text(
        string="Allowed IP Addresses", tracking=True,
        help="Addresses or networks (CIDR), separated by commas or new lines. Empty: any "
        "address.",
    )
    rate_limit = fields.Integer(
        string="Calls per Minute", default=60, required=True, tracking=True
    )
    key_prefix = fields.Char(readonly=True, copy=False, index=True)
    key_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    key_date = fields.Datetime(string="Key Generated On", readonly=True, copy=False)
    call_log_ids = fields.One2many(
        "guarantee.connector.call.log", "res_id", string="Calls",
        domain=[("res_model", "=", "guarantee.api.key")],
    )
    call_count = fields.Integer(compute="_compute_call_count")

    _sql_constraints = [
        ("rate_limit_positive", "CHECK(rate_limit > 0)",
         "The rate limit must be a positive number of calls per minute."),
    ]

    def _compute_call_count(self):
        counts = dict(self.env["guarantee.connector.call.log"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"],
            ["__count"]))
        for key in self:
            key.call_count = counts.get(key.id, 0)

    @api.constrains("allowed_ips")
    def _check_allowed_ips(self):
        for key in self:
            try:
                parse_networks(key.allowed_ips)
            except ValueError as error:
                raise ValidationError(_(
                    "%(entry)s is neither an IP address nor a network (CIDR).",
                    entry=str(error))) from None

    @api.constrains("creditor_ids")
    def _check_creditors(self):
        for key in self:
            wrong = key.creditor_ids.filtered(
                lambda partner: not partner.is_company or partner.is_guarantee_customer)
            if wrong:
                raise ValidationError(_(
                    "%(partners)s cannot lend: a lending bank is a company and not a guarantee "
                    "customer.", partners=", ".join(wrong.mapped("display_name"))))

    @api.constrains("bank_connector_id", "partner_id")
    def _check_bank_connector(self):
        for key in self.filtered("bank_connector_id"):
            if key.bank_connector_id.bank_partner_id != key.partner_id:
                raise ValidationError(_(
                    "The bank connector %(connector)s receives the notices of another bank.",
                    connector=key.bank_connector_id.name))

    def action_generate_key(self):
        """A new key replaces the old one at once; the dialog shows it this one time."""
        self.ensure_one()
        prefix = secrets.token_hex(4)
        plain_key = "%s%s_%s" % (KEY_PREFIX, prefix, secrets.token_urlsafe(32))
        self.sudo().write({
            "key_prefix": prefix, "key_hash": hash_key(plain_key),
            "key_date": fields.Datetime.now(),
        })
        self.message_post(body=_("A new API key was generated; the previous one no longer "
                                 "works."))
        reveal = self.env["guarantee.api.key.reveal"].create({"key_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": _("New API Key"),
            "res_model": "guarantee.api.key.reveal",
            "res_id": reveal.id,
            "view_mode": "form",
            "target": "new",
            "context": {"guarantee_api_plain_key": plain_key},
        }

    @api.readonly
    def action_view_calls(self):
        """This key's calls in the platform's call log."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("API Calls"),
            "res_model": "guarantee.connector.call.log",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }

    @api.model
    def _authenticate(self, plain_key):
        """The active key matching ``plain_key``, or an empty recordset (whatever the cause:
        unknown, malformed, archived, replaced)."""
        if not plain_key or not KEY_PATTERN.fullmatch(plain_key):
            return self.browse()
        prefix = plain_key[len(KEY_PREFIX):].split("_", 1)[0]
        digest = hash_key(plain_key)
        for key in self.sudo().search([("key_prefix", "=", prefix)]):
            if key.key_hash and hmac.compare_digest(key.key_hash, digest):
                return key
        return self.browse()

    def _has_scope(self, scope):
        self.ensure_one()
        return bool(self[SCOPES[scope]])

    def _address_allowed(self, address):
        self.ensure_one()
        return address_allowed(address, self.allowed_ips)

    def _rate_admitted(self):
        """True when this key may make one more call now (which is then counted)."""
        self.ensure_one()
        return self.env["guarantee.api.rate.counter"].sudo()._admit(self)

    def _project_domain(self):
        """The projects this partner may see: a bank those whose creditor it is, a platform
        those it submitted."""
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            "|", ("creditor_id", "=", self.partner_id.id),
            ("api_source_partner_id", "=", self.partner_id.id),
        ]

    def _may_act_for(self, partner):
        """True when this key's partner may apply for ``partner``, an existing customer: one of
        its projects in the key's company was submitted by this partner, or has this partner
        as creditor, and is not itself an application held until its applicant is verified."""
        self.ensure_one()
        return bool(self.env["guarantee.project"].sudo().with_context(active_test=False)
                    .search_count([
                        ("company_id", "=", self.company_id.id),
                        ("partner_id", "=", partner.id),
                        ("api_applicant_unverified", "=", False),
                        "|", ("api_source_partner_id", "=", self.partner_id.id),
                        ("creditor_id", "=", self.partner_id.id),
                    ], limit=1))
