import base64
import hashlib
import json
import logging
import re
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from odoo.addons.guarantee_platform.tools.cn_text import cn_date
from odoo.addons.guarantee_platform.tools.connectors import ConnectorError
from odoo.addons.guarantee_platform.tools.money import fen_float, rmb_figures, rmb_in_words
from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfFontError

from ..tools.contract_pdf import build_contract_pdf
from .guarantee_contract_template import CONTRACT_KINDS, CONTRACT_TITLES, template_directives

_logger = logging.getLogger(__name__)

CONTRACT_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent for Signing"),
    ("signed", "Signed"),
    ("terminated", "Terminated"),
]
ESIGN_STATUSES = [
    ("none", "Not Sent"),
    ("pending", "Awaiting Signatures"),
    ("signed", "Signed"),
    ("refused", "Refused"),
    ("expired", "Expired"),
    ("error", "Error"),
]
SEQUENCE_CODES = {
    "entrusted": "guarantee.contract.entrusted",
    "guarantee": "guarantee.contract.guarantee",
    "counter": "guarantee.contract.counter",
}
# What the signers saw may not change once the contract left the draft state.
_FROZEN_FIELDS = (
    "body", "template_id", "kind", "project_id", "collateral_id", "partner_ids", "name",
    "esign_provider_id",
)
# Written by the signing actions and the provider's callbacks only.
# The project's amounts a template can state, with the variables that print each.
_STATED_AMOUNTS = (
    ("amount", ("amount", "amount_figures", "amount_words")),
    ("fee_total", ("fee_total", "fee_total_figures", "fee_total_words")),
    ("margin_required", ("margin_required_figures", "margin_required_words")),
)
_SIGNING_FIELDS = (
    "state", "date_sent", "date_signed", "signed_body", "signed_pdf_id", "signed_sha256",
    "is_tampered", "esign_flow_id", "esign_status", "terminate_reason",
)


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


class GuaranteeContract(models.Model):
    """A contract of a project: with the applicant, the creditor or a counter-guarantor."""

    _name = "guarantee.contract"
    _description = "Guarantee Contract"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "guarantee.lock.mixin",
    ]
    _order = "project_id, kind, id"
    _check_company_auto = True

    _lock_action_fields = _SIGNING_FIELDS
    _lock_fields_by_state = {"sent": _FROZEN_FIELDS}
    _lock_readonly_states = ("signed", "terminated")
    _lock_unlink_states = ("draft",)
    # Drawn up as a draft, sent for signing (back to draft when the signing is reset or
    # refused at the provider), signed by the provider's callback or by hand; terminated
    # from any state before the guarantee is in force. Signed text never returns to draft.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_send_for_signing": (("draft",), "sent"),
        "action_reset_draft": (("sent",), "draft"),
        "_do_sign": (("sent",), "signed"),
        "action_terminate": (("draft", "sent", "signed"), "terminated"),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    kind = fields.Selection(CONTRACT_KINDS, required=True, index=True, tracking=True)
    project_id = fields.Many2one(
        "guarantee.project",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="project_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="project_id.currency_id")
    amount = fields.Monetary(related="project_id.amount", currency_field="currency_id")
    collateral_id = fields.Many2one(
        "guarantee.collateral",
        string="Counter-Guarantee",
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('project_id', '=', project_id)]",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "guarantee_contract_partner_rel",
        "contract_id",
        "partner_id",
        string="Parties",
    )
    template_id = fields.Many2one(
        "guarantee.contract.template",
        domain="[('kind', '=', kind)]",
        tracking=True,
    )
    state = fields.Selection(
        CONTRACT_STATES, default="draft", required=True, readonly=True, copy=False,
        tracking=True, index=True,
    )
    body = fields.Html(copy=False)
    date_sent = fields.Datetime(readonly=True, copy=False)
    date_signed = fields.Datetime(readonly=True, copy=False, tracking=True)
    signed_body = fields.Html(string="Text as Signed", readonly=True, copy=False)
    signed_pdf_id = fields.Many2one("ir.attachment", string="Signed PDF", readonly=True, copy=False)
    signed_sha256 = fields.Char(string="Signed PDF SHA-256", readonly=True, copy=False)
    is_tampered = fields.Boolean(
        string="Signed File Tampered",
        readonly=True,
        copy=False,
        tracking=True,
        help="The stored signed PDF no longer matches the SHA-256 recorded at signing.",
    )
    esign_provider_id = fields.Many2one(
        "guarantee.esign.provider", string="E-Signature Provider", copy=False
    )
    esign_flow_id = fields.Char(string="Signing Flow", readonly=True, copy=False, index=True)
    esign_status = fields.Selection(
        ESIGN_STATUSES,
        string="E-Signature Status",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    terminate_reason = fields.Text(string="Termination Reason", readonly=True, copy=False)
    stated_amounts_key = fields.Char(
        readonly=True,
        copy=False,
        help="The amounts the text was drawn up with; when they change before sending, the "
        "text is drawn up again.",
    )

    _sql_constraints = [
        ("name_company_unique", "unique(name, company_id)", "The contract number must be unique."),
    ]

    @api.constrains("kind", "collateral_id", "project_id")
    def _check_collateral(self):
        for contract in self:
            if contract.kind == "counter" and not contract.collateral_id:
                raise ValidationError(
                    _("A counter-guarantee contract needs its collateral or guarantor.")
                )
            if contract.collateral_id and contract.collateral_id.project_id != contract.project_id:
                raise ValidationError(
                    _("The counter-guarantee must belong to the contract's project.")
                )

    @api.model
    def _sequence_code_for(self, vals):
        """Each kind of contract has its own numbering (WT, BZ, FD)."""
        return SEQUENCE_CODES[vals["kind"]]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(_("A contract is created as a draft."))
        contracts = super().create(vals_list)
        for contract in contracts:
            if not contract.partner_ids:
                contract.partner_ids = contract._default_parties()
            if not contract.template_id:
                contract.template_id = self.env["guarantee.contract.template"]._find_for(
                    contract.kind, contract.project_id
                )
            if not contract.body and contract.template_id:
                contract._draw_up()
        return contracts

    # ------------------------------------------------------------------ actions

    def action_render(self):
        """Fill the template again with the project's current figures."""
        for contract in self:
            if contract.state != "draft":
                raise UserError(_("Only a draft contract can be drawn up again."))
            if not contract.template_id:
                raise UserError(_("Choose a template for %(contract)s.", contract=contract.name))
            contract._draw_up()
        return True

    def action_send_for_signing(self):
        """Freeze the text and open the signing flow at the configured CA provider.

        A draft whose amounts changed since it was drawn up (the fee schedule generated
        afterwards, the amount corrected) is drawn up again first: nobody signs old figures.
        """
        for contract in self:
            contract._refresh_stale_text()
            contract._check_can_send()
        notifications = []
        for contract in self:
            provider = contract.esign_provider_id or self.env[
                "guarantee.esign.provider"
            ]._default_for(contract.company_id)
            contract._unlocked().write({
                "state": "sent",
                "date_sent": fields.Datetime.now(),
                "esign_provider_id": provider.id,
            })
            if not provider:
                continue
            error = contract._start_signing_flow(provider)
            if error:
                notifications.append(error)
        if notifications:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "sticky": True,
                    "message": "\n".join(notifications),
                },
            }
        return True

    def action_mark_signed(self, pdf_content=None):
        """Record a signature obtained outside the provider (paper signing, scanned PDF)."""
        for contract in self:
            if contract.state != "sent":
                raise UserError(_("Only a contract sent for signing can be signed."))
            if contract.esign_status == "pending":
                raise UserError(
                    _("%(name)s is being signed at the e-signature provider; its callback "
                      "records the signature.", name=contract.name)
                )
            contract._do_sign(pdf_content or contract._build_pdf())
        return True

    def action_reset_draft(self):
        for contract in self:
            if contract.state != "sent":
                raise UserError(_("Only a contract sent for signing can return to draft."))
        self._unlocked().write({"state": "draft", "esign_flow_id": False, "esign_status": "none"})
        return True

    def action_terminate(self, reason=None):
        for contract in self:
            if contract.state == "terminated":
                raise UserError(
                    _("The contract %(name)s is already terminated.", name=contract.name)
                )
            in_force = contract.project_id.state in ("active", "compensated")
            if contract.state == "signed" and in_force:
                raise UserError(
                    _("The contract %(name)s binds a guarantee in force; it ends with the "
                      "project, not by termination.", name=contract.name)
                )
        self._unlocked().write({"state": "terminated", "terminate_reason": reason or False})
        return True

    def action_print_pdf(self):
        """Download the PDF: the signed file once signed, else the draft built from the text."""
        self.ensure_one()
        if self.state == "signed" and self.signed_pdf_id:
            return self.action_download_signed()
        attachment = self._attach_pdf(self._build_pdf(), suffix="")
        return self._download_action(attachment)

    def action_download_signed(self):
        """Give the signed PDF after checking its SHA-256; a mismatch flags the contract."""
        self.ensure_one()
        if not self.signed_pdf_id:
            raise UserError(_("The contract %(name)s has no signed PDF.", name=self.name))
        if not self._verify_signed_pdf():
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "sticky": True,
                    "message": _(
                        "The signed PDF of %(name)s does not match the SHA-256 recorded at "
                        "signing; it was not delivered.", name=self.name,
                    ),
                },
            }
        return self._download_action(self.signed_pdf_id)

    # ------------------------------------------------------------------ business

    def _check_can_send(self):
        self.ensure_one()
        reasons = []
        if self.state != "draft":
            reasons.append(_("Only a draft contract can be sent for signing."))
        if not self.body or not self.body.strip():
            reasons.append(_("The contract text is empty."))
        if not self.partner_ids:
            reasons.append(_("The contract has no parties."))
        currency = self.currency_id
        for label, value in self.sudo()._stated_amounts():
            if not value or currency.compare_amounts(value, 0.0) <= 0:
                reasons.append(
                    _("The contract states %(what)s, which is missing or zero (%(value)s).",
                      what=label, value=format_amount(self.env, value or 0.0, currency))
                )
        if reasons:
            raise UserError(
                _("%(name)s cannot be sent for signing:\n - %(reasons)s",
                  name=self.name, reasons="\n - ".join(reasons))
            )

    def _stated_amounts(self):
        """(label, value) of each amount the contract's template prints: the project's
        amount, fee and margin, and the recognised value of each counter-guarantee printed."""
        self.ensure_one()
        expressions = " ".join(
            expression for _attribute, expression in template_directives(self.template_id.body)
        )
        names = set(re.findall(r"[a-z_][a-z0-9_]*", expressions))
        if not self.template_id:
            names = {"amount"}
        project = self.project_id
        labels = {
            "amount": _("the guaranteed amount"),
            "fee_total": _("the guarantee fee"),
            "margin_required": _("the margin deposit"),
        }
        # a project that takes no margin (rate 0%) states no margin, whatever the template
        skipped = {"margin_required"} if project.margin_rate <= 0 else set()
        amounts = [
            (labels[field], project[field])
            for field, variables in _STATED_AMOUNTS
            if names & set(variables) and field not in skipped
        ]
        if "recognized_value" in names:
            collaterals = self.collateral_id
            if "collaterals" in names:
                collaterals |= project.collateral_ids
            for collateral in collaterals.filtered(lambda c: c.kind != "guarantor"):
                label = _("the recognised value of %(collateral)s",
                          collateral=collateral.display_name)
                amounts.append((label, collateral.recognized_value))
        return amounts

    def _stated_amounts_key(self):
        return json.dumps([fen_float(value or 0.0) for _label, value in self._stated_amounts()])

    def _refresh_stale_text(self):
        """Draw a draft up again when the amounts it states changed since it was drawn up."""
        self.ensure_one()
        if self.state != "draft" or not self.template_id:
            return
        if self.stated_amounts_key == self.sudo()._stated_amounts_key():
            return
        self._draw_up()
        self.message_post(
            body=_("The amounts changed since the text was drawn up: the text was drawn up "
                   "again with the current figures before sending.")
        )

    def _draw_up(self):
        """Fill the template and remember the amounts the text states."""
        self.ensure_one()
        self.write({
            "body": self._render_body(),
            "stated_amounts_key": self.sudo()._stated_amounts_key(),
        })

    def _start_signing_flow(self, provider):
        """Open the flow; on failure keep the contract sent and return the error text."""
        self.ensure_one()
        adapter = provider._connector_adapter(record=self)
        try:
            flow_id = adapter.create_flow(uuid.uuid4().hex, self.name, *self._signing_payload())
        except ConnectorError as error:
            self._unlocked().esign_status = "error"
            message = _("The signing flow of %(name)s could not be opened: %(error)s",
                        name=self.name, error=error)
            self.message_post(body=message)
            return message
        self._unlocked().write({"esign_flow_id": flow_id, "esign_status": "pending"})
        self.message_post(
            body=_("Sent for signing to %(provider)s (flow %(flow)s).",
                   provider=provider.name, flow=flow_id)
        )
        return None

    def _signing_payload(self):
        """(PDF bytes, signers) of the flow opened at the provider."""
        return self._build_pdf(), self._signers()

    def _signers(self):
        """Who signs: every party, then our company."""
        self.ensure_one()
        partners = self.partner_ids | self.company_id.partner_id
        return [
            {
                "name": partner.name,
                "id_number": partner.uscc or partner.vat or "",
                "email": partner.email or "",
                "mobile": partner.mobile or partner.phone or "",
            }
            for partner in partners
        ]

    def _do_sign(self, pdf_content):
        """Freeze the text and store the signed PDF with its SHA-256."""
        self.ensure_one()
        attachment = self._attach_pdf(pdf_content, suffix="-signed")
        self._unlocked().write({
            "state": "signed",
            "esign_status": "signed",
            "date_signed": fields.Datetime.now(),
            "signed_body": self.body,
            "signed_pdf_id": attachment.id,
            "signed_sha256": sha256_hex(pdf_content),
            "is_tampered": False,
        })
        self.env["guarantee.hash.chain"]._seal(self, "contract_signed")
        self.message_post(
            body=_("Signed. SHA-256 of the signed PDF: %(hash)s", hash=self.signed_sha256),
            attachment_ids=attachment.ids,
        )

    def _handle_provider_event(self, status, document_sha256=None, reason=None):
        """Apply a callback of the provider. Returns a short outcome for the HTTP answer."""
        self.ensure_one()
        if self.state != "sent" or self.esign_status != "pending":
            return "ignored"
        if status == "signed":
            content = self.esign_provider_id._connector_adapter(record=self).download(
                self.esign_flow_id
            )
            if sha256_hex(content) != (document_sha256 or "").lower():
                self._flag_tampered(
                    _("The signed PDF downloaded for %(name)s does not match the SHA-256 "
                      "announced by the provider; the contract was not marked signed.",
                      name=self.name)
                )
                return "hash_mismatch"
            self._do_sign(content)
            return "signed"
        if status in ("refused", "expired"):
            self._unlocked().write({"state": "draft", "esign_status": status})
            label = dict(self._fields["esign_status"]._description_selection(self.env))[status]
            self.message_post(
                body=_("Signing ended at the provider: %(status)s (%(reason)s). The contract is "
                       "a draft again.", status=label, reason=reason or "-")
            )
            return status
        raise UserError(_("Unknown signing status %(status)s.", status=status))

    def _verify_signed_pdf(self):
        """True when the stored signed PDF still has its recorded SHA-256; else flag it."""
        self.ensure_one()
        content = base64.b64decode(self.signed_pdf_id.sudo().datas or b"")
        if sha256_hex(content) == self.signed_sha256:
            return True
        self._flag_tampered(
            _("The stored signed PDF of %(name)s does not match its SHA-256 %(hash)s: the "
              "file was altered.", name=self.name, hash=self.signed_sha256)
        )
        return False

    def _flag_tampered(self, message):
        self.sudo()._unlocked().is_tampered = True
        self.sudo().message_post(body=message)
        _logger.warning("Contract %s: %s", self.name, message)

    def _default_parties(self):
        self.ensure_one()
        project = self.project_id
        if self.kind == "entrusted":
            return project.partner_id
        if self.kind == "guarantee":
            return project.creditor_id
        return self.collateral_id.owner_id

    def _guarantee_chain_payload(self):
        """What a signature makes final: the parties, the text and the signed file."""
        self.ensure_one()
        return {
            "name": self.name,
            "project": self.project_id.id,
            "kind": self.kind,
            "partners": sorted(self.partner_ids.ids),
            "date_signed": self.date_signed,
            "signed_body": self.signed_body,
            "signed_sha256": self.signed_sha256,
        }

    # ------------------------------------------------------------------ rendering

    def _render_values(self):
        """The variables a template can use (see the template's help)."""
        self.ensure_one()
        project = self.project_id
        currency = project.currency_id

        def figures(value):
            if currency.name == "CNY":
                return rmb_figures(value)
            return format_amount(self.env, value or 0.0, currency)

        def words(value):
            if currency.name == "CNY":
                return rmb_in_words(value or 0.0)
            return currency.amount_to_text(value or 0.0)

        collaterals = project.collateral_ids
        return {
            "contract": self,
            "project": project,
            "company": project.company_id,
            "guarantor": project.company_id.partner_id,
            "applicant": project.partner_id,
            "creditor": project.creditor_id,
            "parties": self.partner_ids,
            "collateral": self.collateral_id,
            "collaterals": collaterals,
            "amount": project.amount,
            "amount_figures": figures(project.amount),
            "amount_words": words(project.amount),
            "fee_rate": project.fee_rate,
            "fee_total": project.fee_total,
            "fee_total_figures": figures(project.fee_total),
            "fee_total_words": words(project.fee_total),
            "margin_rate": project.margin_rate,
            "margin_required_figures": figures(project.margin_required),
            "margin_required_words": words(project.margin_required),
            "date_start": cn_date(project.date_start),
            "date_end": cn_date(project.date_end),
            "today": cn_date(fields.Date.context_today(self)),
            "figures": figures,
            "words": words,
            "cn_date": cn_date,
        }

    def _render_body(self):
        """The template filled for this contract, with the rights of the user who fills it:
        a placeholder prints only what that user may read (DESIGN: Integrity)."""
        self.ensure_one()
        return self.template_id._render(self._render_values())

    def _pdf_summary_lines(self):
        self.ensure_one()
        values = self._render_values()
        return [
            _("Contract No.: %(name)s", name=self.name),
            _("Project: %(project)s", project=self.project_id.name),
            _("Parties: %(parties)s",
              parties="、".join(self.partner_ids.mapped("name") + [self.company_id.name])),
            _("Guaranteed amount: %(words)s (%(figures)s)",
              figures=values["amount_figures"], words=values["amount_words"]),
        ]

    def _build_pdf(self):
        """The contract as PDF bytes: the signed text once signed, else the current text."""
        self.ensure_one()
        # The parties are printed whoever prints (see _render_body). Contracts are Chinese legal
        # documents: printed in Chinese when the language is installed.
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        contract = self.sudo().with_context(lang=lang)
        try:
            return contract._render_pdf(self._pdf_title())
        except PdfFontError as error:
            raise UserError(_("The PDF cannot be made: %(reason)s", reason=str(error))) from error

    def _pdf_title(self):
        """The title printed on the page and in the PDF's metadata."""
        return CONTRACT_TITLES[self.kind]

    def _render_pdf(self, title):
        """The PDF through the shared pipeline, with the parties' signature block."""
        return build_contract_pdf(
            title=title,
            summary_lines=self._pdf_summary_lines(),
            body_html=self.signed_body or self.body or "",
            footer=self.name,
            header=self.company_id.name,
            parties=self._pdf_parties(),
            signature_labels=self._pdf_signature_labels(),
        )

    def _pdf_parties(self):
        """(role, name) of each party of the signature block: the contract's parties in
        order, then the company."""
        self.ensure_one()
        roles = [_("Party A"), _("Party B"), _("Party C"), _("Party D"), _("Party E")]
        names = self.partner_ids.mapped("name") + [self.company_id.name]
        return [
            (roles[index] if index < len(roles) else _("Party"), name)
            for index, name in enumerate(names)
        ]

    def _pdf_signature_labels(self):
        return {
            "seal": _("seal"),
            "seal_here": _("Seal here"),
            "signatory": _("Legal representative or authorised signatory (signature)"),
            "date": _("Signing date"),
        }

    def _attach_pdf(self, content, suffix):
        self.ensure_one()
        return self.env["ir.attachment"].create({
            "name": "%s%s.pdf" % (self.name, suffix),
            "type": "binary",
            "raw": content,
            "mimetype": "application/pdf",
            "res_model": self._name,
            "res_id": self.id,
        })

    def _download_action(self, attachment):
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }
