import logging
import re

from lxml import html as lxml_html

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.base.models.ir_qweb import QWebException

from ..tools.template_placeholders import placeholder_errors, placeholder_tags, placeholder_tokens

_logger = logging.getLogger(__name__)

CONTRACT_KINDS = [
    ("entrusted", "Entrusted Guarantee Contract (委托保证合同)"),
    ("guarantee", "Guarantee Contract (保证合同)"),
    ("counter", "Counter-Guarantee Contract (反担保合同)"),
]
# The printed title of each kind: contracts are Chinese legal documents, titled in Chinese
# whatever the language of the user who prints them (page and PDF metadata).
CONTRACT_TITLES = {"entrusted": "委托保证合同", "guarantee": "保证合同", "counter": "反担保合同"}

PLACEHOLDER_HELP = """QWeb placeholders, e.g. <t t-out="project.name"/>, shown in the editor as
tokens such as 【项目编号】 that cannot be typed into (deleted whole or kept).
Variables: contract, project, company, applicant, creditor, guarantor (our company), parties,
collateral (counter-guarantee contracts), collaterals, amount, amount_figures, amount_words,
fee_rate, fee_total_figures, fee_total_words, margin_rate, margin_required_figures,
margin_required_words, date_start, date_end, today (dates written 2026年1月1日), and the helpers
figures(x), words(x), cn_date(d).
Only system administrators may add conditions, loops and helpers; others may add
<t t-out="..."/> of a variable or of its fields (e.g. applicant.name) and edit the text around
the existing placeholders. Fields restricted to some groups (secrets) are never available.
The text is sanitised when saved: scripts and event handlers are removed."""

TEMPLATE_VARIABLES = frozenset({
    "contract", "project", "company", "applicant", "creditor", "guarantor", "parties",
    "collateral", "collaterals", "amount", "amount_figures", "amount_words", "fee_rate",
    "fee_total", "fee_total_figures", "fee_total_words", "margin_rate",
    "margin_required_figures", "margin_required_words", "date_start", "date_end", "today",
})
# a variable and its fields, nothing else: no call, no operator, no private or env attribute
_FIELD_PATH = re.compile(r"^\s*([a-z][a-z0-9_]*)((?:\.[a-z][a-z0-9_]*)*)\s*(?:or\s*''\s*)?$")
_FORBIDDEN_ATTRIBUTES = frozenset({"env", "sudo", "with_user", "with_env", "with_context"})


def template_directives(body):
    """Every QWeb directive of ``body`` as a set of (attribute, expression) pairs."""
    if not body:
        return set()
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    return {
        (name, value)
        for element in root.iter()
        if isinstance(element.tag, str)
        for name, value in element.attrib.items()
        if name.startswith("t-")
    }


def is_safe_directive(directive):
    """True for ``t-out``/``t-esc`` of a template variable or a chain of its fields."""
    name, expression = directive
    if name not in ("t-out", "t-esc"):
        return False
    match = _FIELD_PATH.match(expression or "")
    if not match or match.group(1) not in TEMPLATE_VARIABLES:
        return False
    return not _FORBIDDEN_ATTRIBUTES.intersection(match.group(2).split("."))


class GuaranteeContractTemplate(models.Model):
    """合同模板: the text of a contract kind, with placeholders filled per project."""

    _name = "guarantee.contract.template"
    _description = "Guarantee Contract Template"
    _inherit = ["mail.thread"]
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(CONTRACT_KINDS, required=True, index=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the template between companies."
    )
    product_ids = fields.Many2many(
        "guarantee.product",
        string="Products",
        help="Use this template only for these products; empty means every product.",
    )
    # Sanitised as Odoo's mail templates are: the QWeb placeholders (<t t-out>) stay, scripts,
    # event handlers, javascript: links and frames go, so the form never shows live code.
    body = fields.Html(
        required=True,
        sanitize="email_outgoing",
        help=PLACEHOLDER_HELP,
    )
    note = fields.Text(string="Internal Note")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_code_rights(set(), vals.get("body"))
            if vals.get("body"):
                vals["body"] = self._with_tokens(vals["body"])
        return super().create(vals_list)

    def write(self, vals):
        if "body" in vals:
            for template in self:
                self._check_code_rights(template_directives(template.body), vals["body"])
            if vals["body"]:
                vals = dict(vals, body=self._with_tokens(vals["body"]))
        return super().write(vals)

    @api.model
    def _with_tokens(self, body):
        """The body with its placeholders as visible, non-editable tokens (see
        ``placeholder_tokens``); a body that is not HTML is left to ``_check_body``."""
        try:
            return placeholder_tokens(str(body))
        except (ValueError, lxml_html.etree.ParserError):
            return body

    @api.constrains("body")
    def _check_body(self):
        for template in self:
            try:
                lxml_html.fragment_fromstring(template.body or "", create_parent="div")
            except Exception as error:
                raise ValidationError(
                    _("The template %(name)s is not valid HTML: %(error)s",
                      name=template.name, error=error)
                ) from error
            template._check_placeholders()

    @api.model
    def _guarantee_sanitize_stored_bodies(self):
        """Clean the bodies stored before they were sanitised on save (run on upgrade): each
        body goes through the field's own sanitiser (scripts, ``on*`` handlers,
        ``javascript:`` links, frames and objects go; the placeholders stay). Written in SQL
        so that the save-time checks of placeholders and rights, which judge what an author
        types, do not stop the upgrade; the placeholders are checked again before filling.
        Returns the templates cleaned, each named in the log and in its chatter."""
        field = self._fields["body"]
        self.env.cr.execute("SELECT id, body FROM guarantee_contract_template")
        cleaned = {}
        for template_id, body in self.env.cr.fetchall():
            template = self.browse(template_id)
            sanitized = field.convert_to_column(body, template)
            if body and sanitized != body:
                cleaned[template_id] = sanitized
        for template_id, body in cleaned.items():
            self.env.cr.execute("UPDATE guarantee_contract_template SET body = %s WHERE id = %s",
                                [body, template_id])
        templates = self.browse(list(cleaned)).with_context(active_test=False)
        templates.invalidate_recordset(["body"])
        for template in templates:
            _logger.warning("Contract template %s (id %s): unsafe HTML removed from its body.",
                            template.name, template.id)
            template.message_post(body=_("Unsafe HTML (scripts, event handlers, javascript: "
                                         "links, frames) was removed from this template's "
                                         "text when the module was updated."))
        return templates

    def _check_placeholders(self):
        """Refuse, for everyone, what is not a listed placeholder (see template_placeholders)."""
        self.ensure_one()
        errors = placeholder_errors(self.body, self.env)
        if errors:
            raise ValidationError(
                _("The template %(name)s may only use the listed placeholders and fields "
                  "you may read; not allowed: %(code)s",
                  name=self.name, code="; ".join(errors))
            )

    @api.model
    def _check_code_rights(self, old_directives, new_body):
        """Refuse template code from anyone but a system administrator.

        The body is QWeb run when a contract is generated, so code in it would run with the
        rights of whoever generates. As Odoo does for mail templates, other users may only keep
        the directives already there and add placeholders of plain values (``is_safe_directive``).
        """
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        try:
            new_directives = template_directives(new_body)
        except (ValueError, lxml_html.etree.ParserError):
            return  # not HTML: _check_body refuses it with its own message
        unsafe = {d for d in new_directives - old_directives if not is_safe_directive(d)}
        if unsafe:
            raise AccessError(
                _("Only a system administrator may put code in a contract template. "
                  "Use placeholders such as <t t-out=\"applicant.name\"/>. Refused: %(code)s",
                  code="; ".join(sorted('%s="%s"' % d for d in unsafe)))
            )

    def _render(self, values):
        """Render the body with ``values``; return the html as a string."""
        self.ensure_one()
        # checked again when filled: a template stored before the rule (or by SQL) obeys it too
        self._check_placeholders()
        root = placeholder_tags(
            lxml_html.fragment_fromstring(self.body or "", create_parent="div"))
        try:
            # rendered with the rights of the user, never as superuser: a placeholder reaches
            # only the records and fields that user may read
            return str(self.env["ir.qweb"].sudo(False)._render(root, values))
        except QWebException as error:
            if isinstance(error.__cause__, AccessError):
                raise error.__cause__ from None  # a record the user may not read
            raise UserError(
                _("The template %(name)s cannot be filled in: %(error)s",
                  name=self.name, error=error.__cause__ or error)
            ) from error

    @api.model
    def _find_for(self, kind, project):
        """The template to use for a contract ``kind`` of ``project``."""
        candidates = self.search(
            [
                ("kind", "=", kind),
                ("company_id", "in", [project.company_id.id, False]),
            ]
        )
        specific = candidates.filtered(lambda t: project.product_id in t.product_ids)
        generic = candidates.filtered(lambda t: not t.product_ids)
        return (specific or generic)[:1]
