from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date
from odoo.tools.mail import generate_tracking_message_id

from .guarantee_collateral_haircut import ASSET_TYPES, ASSET_TYPES_BY_KIND

COLLATERAL_KINDS = [("mortgage", "Mortgage"), ("pledge", "Pledge"), ("guarantor", "Guarantor")]
COLLATERAL_STATES = [("planned", "Planned"), ("registered", "Registered"), ("released", "Released")]

# What was registered with the authority (or signed by the guarantor) is what it secures;
# its value is appraised again over time (tracked), so appraisal and haircut stay open.
_REGISTERED_FIELDS = (
    "project_id", "kind", "asset_type", "owner_id", "registration_required",
    "registration_no", "registration_authority", "registration_date", "company_id",
)


class GuaranteeCollateral(models.Model):
    """反担保: a mortgage, a pledge or a guarantor securing the company's recourse."""

    _name = "guarantee.collateral"
    _description = "Counter-Guarantee"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "guarantee.project.company.mixin",
        "guarantee.lock.mixin",
    ]
    _order = "project_id desc, id"
    _check_company_auto = True

    _lock_action_fields = ("state", "date_released")
    _lock_fields_by_state = {"registered": _REGISTERED_FIELDS}
    _lock_readonly_states = ("released",)
    _lock_unlink_states = ("planned",)
    # Planned, then registered with the authority (back to planned to correct it); released
    # once, which is final. The ledger import writes the ledger's state as history.
    _lock_initial_state = "planned"
    _lock_transitions = {
        "action_register": (("planned",), "registered"),
        "action_reset_planned": (("registered",), "planned"),
        "action_release": (("planned", "registered"), "released"),
    }

    name = fields.Char(string="Description", required=True, tracking=True)
    project_id = fields.Many2one(
        "guarantee.project",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    currency_id = fields.Many2one(related="project_id.currency_id", store=True, precompute=True)
    manager_id = fields.Many2one(related="project_id.manager_id", string="A-Role")
    kind = fields.Selection(COLLATERAL_KINDS, required=True, default="mortgage", tracking=True)
    asset_type = fields.Selection(ASSET_TYPES, required=True, tracking=True)
    owner_id = fields.Many2one(
        "res.partner",
        string="Owner / Guarantor",
        required=True,
        index=True,
        tracking=True,
        help="Owner of the mortgaged or pledged asset, or the guarantor; guarantors must be "
        "in the customer archive.",
    )
    appraised_value = fields.Monetary(currency_field="currency_id", tracking=True)
    appraisal_date = fields.Date()
    haircut = fields.Float(
        string="Recognized Share (%)",
        digits=(16, 2),
        compute="_compute_haircut",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Defaults from the haircut table of the asset type; may be overridden.",
    )
    recognized_value = fields.Monetary(
        compute="_compute_recognized_value", store=True, currency_field="currency_id"
    )
    registration_required = fields.Boolean(
        compute="_compute_registration_required", store=True, readonly=False, precompute=True
    )
    registration_no = fields.Char(string="Registration No.", tracking=True, copy=False)
    registration_authority = fields.Char(tracking=True)
    registration_date = fields.Date(tracking=True, copy=False)
    registration_expiry = fields.Date(tracking=True, index=True, copy=False)
    insurance_expiry = fields.Date(tracking=True, index=True, copy=False)
    registration_reminded_for = fields.Date(
        readonly=True, copy=False, help="Registration expiry date a reminder was sent for."
    )
    insurance_reminded_for = fields.Date(
        readonly=True, copy=False, help="Insurance expiry date a reminder was sent for."
    )
    state = fields.Selection(
        COLLATERAL_STATES,
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    date_released = fields.Date(readonly=True, copy=False)
    note = fields.Text()

    @api.depends("asset_type", "company_id")
    def _compute_haircut(self):
        haircuts = {
            (line.company_id.id, line.asset_type): line.haircut
            for line in self.env["guarantee.collateral.haircut"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids or self.env.company.ids)])
        }
        for collateral in self:
            company = collateral.company_id or self.env.company
            collateral.haircut = haircuts.get((company.id, collateral.asset_type), 0.0)

    @api.depends("appraised_value", "haircut")
    def _compute_recognized_value(self):
        for collateral in self:
            value = collateral.appraised_value * collateral.haircut / 100.0
            collateral.recognized_value = (
                collateral.currency_id.round(value) if collateral.currency_id else value
            )

    @api.depends("kind")
    def _compute_registration_required(self):
        for collateral in self:
            collateral.registration_required = collateral.kind in ("mortgage", "pledge")

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.asset_type not in ASSET_TYPES_BY_KIND.get(self.kind, ()):
            self.asset_type = False

    @api.constrains("kind", "asset_type", "owner_id")
    def _check_kind(self):
        types = dict(self._fields["asset_type"]._description_selection(self.env))
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for collateral in self:
            if collateral.asset_type not in ASSET_TYPES_BY_KIND[collateral.kind]:
                raise ValidationError(
                    _(
                        "A %(kind)s cannot be of asset type %(type)s.",
                        kind=kinds[collateral.kind],
                        type=types[collateral.asset_type],
                    )
                )
            if collateral.kind != "guarantor":
                continue
            owner = collateral.owner_id
            if not owner.is_guarantee_customer:
                raise ValidationError(
                    _(
                        "The guarantor %(guarantor)s must be in the customer archive.",
                        guarantor=owner.display_name,
                    )
                )
            if owner.is_company != (collateral.asset_type == "enterprise"):
                raise ValidationError(
                    _(
                        "The guarantor %(guarantor)s is not a %(type)s.",
                        guarantor=owner.display_name,
                        type=types[collateral.asset_type],
                    )
                )

    @api.constrains("appraised_value", "haircut")
    def _check_values(self):
        for collateral in self:
            if collateral.appraised_value < 0:
                raise ValidationError(_("The appraised value cannot be negative."))
            if not 0 <= collateral.haircut <= 100:
                raise ValidationError(_("A haircut must be between 0% and 100%."))

    @api.constrains("registration_date", "registration_expiry")
    def _check_registration_dates(self):
        for collateral in self:
            if (
                collateral.registration_date
                and collateral.registration_expiry
                and collateral.registration_expiry < collateral.registration_date
            ):
                raise ValidationError(
                    _(
                        "The registration of %(collateral)s expires (%(expiry)s) before it was "
                        "made (%(date)s).",
                        collateral=collateral.name,
                        expiry=collateral.registration_expiry,
                        date=collateral.registration_date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # a ledger import (server code holding the lock token) brings registered history
        from_import = self._lock_is_unlocked()
        if not from_import and any(vals.get("state", "planned") != "planned"
                                   for vals in vals_list):
            raise UserError(
                _("A counter-guarantee is created planned, then registered through its action.")
            )
        return super().create(vals_list)

    def action_register(self):
        """The mortgage or pledge is registered with the authority (or the guarantee signed)."""
        messages = []
        for collateral in self:
            if collateral.state != "planned":
                messages.append(_("%(name)s is not planned.", name=collateral.name))
                continue
            if not collateral.registration_required:
                continue
            missing = [
                label
                for field, label in (
                    ("registration_no", _("registration number")),
                    ("registration_authority", _("registration authority")),
                    ("registration_date", _("registration date")),
                )
                if not collateral[field]
            ]
            if missing:
                messages.append(
                    _(
                        "%(name)s cannot be registered without its %(missing)s.",
                        name=collateral.name,
                        missing=", ".join(missing),
                    )
                )
        if messages:
            raise UserError("\n".join(messages))
        self._write_state({"state": "registered"})
        return True

    def action_release(self):
        """The counter-guarantee is released (注销登记 / 解除保证)."""
        if any(collateral.state == "released" for collateral in self):
            raise UserError(_("This counter-guarantee is already released."))
        self._write_state({"state": "released", "date_released": fields.Date.context_today(self)})
        return True

    def action_reset_planned(self):
        """Back to planned, to correct a registration entered by mistake."""
        if any(collateral.state != "registered" for collateral in self):
            raise UserError(_("Only registered counter-guarantees can be reset."))
        self._write_state({"state": "planned"})
        return True

    def _write_state(self, vals):
        return self._unlocked().write(vals)

    @api.model
    def _cron_expiry_reminders(self):
        """Daily: remind the A-role and the risk officers of registrations and insurances
        expiring within the company's reminder days, once per expiry date, in one digest
        per person and night."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            due = []
            for kind, days in (
                ("registration", company.guarantee_registration_reminder_days),
                ("insurance", company.guarantee_insurance_reminder_days),
            ):
                expiry_field, reminded_field = f"{kind}_expiry", f"{kind}_reminded_for"
                collaterals = self.search(
                    [
                        ("company_id", "=", company.id),
                        ("state", "=", "registered"),
                        (expiry_field, "!=", False),
                        (expiry_field, ">=", today),
                        (expiry_field, "<=", today + timedelta(days=days)),
                    ]
                ).filtered(lambda c, e=expiry_field, r=reminded_field: c[r] != c[e])
                due += [(kind, collateral) for collateral in collaterals]
            if due:
                self._send_expiry_digests(company, due)

    @api.model
    def _send_expiry_digests(self, company, due):
        """``due``: (kind, counter-guarantee) pairs. Each person (the A-role of the project,
        every risk officer of the company) gets one e-mail listing all of theirs, queued for
        the outgoing mail job; each counter-guarantee gets one chatter line naming whom it was
        sent to. Mails, chatter lines and the "reminded" marks are written in a few batch
        statements, so the night's cost follows the reminders, not one round trip each."""
        risk_users = self.env.ref("guarantee_base.group_guarantee_risk").users.filtered(
            lambda u: company in u.company_ids and not u.share
        )
        lines_by_user = defaultdict(list)
        for kind, collateral in due:
            for user in collateral.project_id.manager_id | risk_users:
                lines_by_user[user].append((kind, collateral))
        recipients = {user: lines for user, lines in lines_by_user.items() if user.email}
        self._queue_expiry_digests(company, recipients)
        self._post_expiry_chatter_lines(due, recipients)
        for kind in ("registration", "insurance"):
            collaterals = self.browse([c.id for k, c in due if k == kind])
            # one write per expiry date: each write is read in full by the audit log
            for expiry, group in collaterals.grouped(f"{kind}_expiry").items():
                group.write({f"{kind}_reminded_for": expiry})

    @api.model
    def _queue_expiry_digests(self, company, lines_by_user):
        """One ``mail.mail`` per person, in the person's language, created in one call."""
        author = self.env.ref("base.partner_root")
        email_from = company.email_formatted or author.email_formatted
        values = []
        for user, lines in lines_by_user.items():
            env = self.with_context(lang=user.lang).env
            body = env["ir.qweb"]._render(
                "guarantee_risk.collateral_expiry_digest",
                {"lines": [self._expiry_digest_line(env, kind, c) for kind, c in lines]},
            )
            values.append(
                {
                    "subject": env._(
                        "%(count)s counter-guarantee expiries to follow up", count=len(lines)
                    ),
                    "body_html": body,
                    "email_from": email_from,
                    "reply_to": email_from,
                    "author_id": author.id,
                    "recipient_ids": [(4, user.partner_id.id)],
                    "message_type": "email_outgoing",
                    "message_id": generate_tracking_message_id("guarantee-expiry-digest"),
                    "record_name": False,
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(values)

    @api.model
    def _expiry_digest_line(self, env, kind, collateral):
        expiry = collateral[f"{kind}_expiry"]
        return {
            "what": env._("Registration") if kind == "registration" else env._("Insurance"),
            "name": collateral.name,
            "registration_no": collateral.registration_no or "",
            "project": collateral.project_id.name,
            "customer": collateral.project_id.partner_id.name,
            "expiry": format_date(env, expiry),
            "days": (expiry - fields.Date.context_today(self)).days,
        }

    @api.model
    def _post_expiry_chatter_lines(self, due, recipients):
        """The chatter line on each counter-guarantee, all in one ``mail.message`` create:
        author, reply-to, message id and record name are given, so nothing is looked up per
        record."""
        names_by_collateral = defaultdict(list)
        for user, lines in recipients.items():
            for kind, collateral in lines:
                names_by_collateral[kind, collateral.id].append(user.name)
        author = self.env.ref("base.partner_root")
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        values = []
        for kind, collateral in due:
            expiry = format_date(self.env, collateral[f"{kind}_expiry"])
            names = ", ".join(sorted(names_by_collateral[kind, collateral.id])) or _("nobody")
            body = (
                _("Registration expires on %(date)s: reminder sent to %(names)s.",
                  date=expiry, names=names)
                if kind == "registration"
                else _("Insurance expires on %(date)s: reminder sent to %(names)s.",
                       date=expiry, names=names)
            )
            values.append(
                {
                    "model": self._name,
                    "res_id": collateral.id,
                    "record_name": collateral.name,
                    "body": Markup("<p>%s</p>") % body,
                    "message_type": "notification",
                    "subtype_id": subtype_id,
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "reply_to": author.email_formatted,
                    "message_id": generate_tracking_message_id(f"{collateral.id}-{self._name}"),
                }
            )
        self.env["mail.message"].sudo().create(values)
