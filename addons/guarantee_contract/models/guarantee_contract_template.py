from lxml import html as lxml_html

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.base.models.ir_qweb import QWebException

CONTRACT_KINDS = [
    ("entrusted", "Entrusted Guarantee Contract (委托保证合同)"),
    ("guarantee", "Guarantee Contract (保证合同)"),
    ("counter", "Counter-Guarantee Contract (反担保合同)"),
]

PLACEHOLDER_HELP = """QWeb placeholders, e.g. <t t-out="project.name"/>.
Variables: contract, project, company, applicant, creditor, guarantor (our company), parties,
collateral (counter-guarantee contracts), collaterals, amount, amount_figures, amount_words,
fee_rate, fee_total_figures, fee_total_words, margin_rate, margin_required_figures,
margin_required_words, date_start, date_end, today (dates written 2026年1月1日), and the helpers
figures(x), words(x), cn_date(d)."""


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
    body = fields.Html(
        required=True,
        sanitize=False,
        help=PLACEHOLDER_HELP,
    )
    note = fields.Text(string="Internal Note")

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

    def _render(self, values):
        """Render the body with ``values``; return the html as a string."""
        self.ensure_one()
        root = lxml_html.fragment_fromstring(self.body or "", create_parent="div")
        try:
            return str(self.env["ir.qweb"].sudo()._render(root, values))
        except QWebException as error:
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
