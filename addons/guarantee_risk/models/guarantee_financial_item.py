from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools.statement_reader import label_key

STATEMENT_TYPES = [
    ("balance", "Balance Sheet"),
    ("income", "Income Statement"),
    ("cash_flow", "Cash-Flow Statement"),
]


class GuaranteeFinancialItem(models.Model):
    """A line of the financial statements (报表项目) in the formats of 企业会计准则 and
    小企业会计准则: statements keep their amounts on these items, the checks add lines into
    their subtotals, the ratios and the measurement read the items by code."""

    _name = "guarantee.financial.item"
    _description = "Financial Statement Item"
    _order = "statement, sequence, id"
    _parent_store = True

    name = fields.Char(required=True, help="The name of the line in the general-enterprise format.")
    code = fields.Char(required=True, index=True)
    statement = fields.Selection(STATEMENT_TYPES, required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    parent_id = fields.Many2one(
        "guarantee.financial.item",
        string="Adds Into",
        index=True,
        ondelete="restrict",
        help="The subtotal this line adds into (or the line it details, for 其中 lines).",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("guarantee.financial.item", "parent_id", string="Lines")
    sign = fields.Selection(
        [("add", "Adds"), ("subtract", "Subtracts")],
        default="add",
        required=True,
        help="Whether the line adds into its subtotal or is subtracted (减：…).",
    )
    is_subtotal = fields.Boolean(
        string="Subtotal",
        help="The sum of its lines: checked when entered, computed when left empty. An item "
        "with lines that is not a subtotal only details them (其中：…).",
    )
    positive = fields.Boolean(
        string="Never Negative", default=True, help="A negative amount is reported by the checks."
    )
    in_general = fields.Boolean(string="General-Enterprise Format", default=True)
    in_small = fields.Boolean(string="Small-Enterprise Format")
    small_name = fields.Char(
        string="Name in the Small-Enterprise Format",
        help="The name of the line in 小企业会计准则 when it differs.",
    )
    aliases = fields.Text(
        help="Other names of the line recognised on import and OCR in either format, "
        "separated by commas (lines of older formats that add into this item).",
    )
    small_aliases = fields.Text(
        string="Small-Enterprise Lines",
        help="Lines of the small-enterprise format that add into this item, separated by "
        "commas (e.g. 应收股利 and 应收利息 into 其他应收款, where the general format shows "
        "them as 其中 lines).",
    )
    level = fields.Integer(compute="_compute_level", store=True, recursive=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a statement item must be unique."),
    ]

    @api.depends("parent_id.level")
    def _compute_level(self):
        for item in self:
            item.level = item.parent_id.level + 1 if item.parent_id else 0

    @api.constrains("parent_id", "statement")
    def _check_parent(self):
        for item in self:
            if item.parent_id and item.parent_id.statement != item.statement:
                raise ValidationError(
                    _("%(item)s adds into %(parent)s of another statement.",
                      item=item.name, parent=item.parent_id.name)
                )
        if self._has_cycle():
            raise ValidationError(_("A statement item cannot add into itself."))

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        self.env.registry.clear_cache()
        return items

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    def _catalogue(self):
        """The items as tools/financial_checks.py expects them (a list of new dicts)."""
        return [dict(item) for item in self._catalogue_cached()]

    @api.model
    @tools.ormcache()
    def _catalogue_cached(self):
        items = self.sudo().with_context(active_test=False).search([])
        return tuple(
            {
                "code": item.code,
                "parent": item.parent_id.code or None,
                "sign": -1 if item.sign == "subtract" else 1,
                "subtotal": item.is_subtotal,
                "positive": item.positive,
                "statement": item.statement,
            }
            for item in items
        )

    @api.model
    def _resolver(self, standard="general", extra=None):
        """{label key: code} of every name an item goes by in ``standard`` (general or
        small): its names, aliases, and for small-enterprise statements the small-format lines
        that add into it; ``extra`` {label key: code} is what a source mapped."""
        items = self.sudo().search([])
        groups = []
        if standard == "small":
            groups.append(lambda item: [item.small_name or ""] + _split(item.small_aliases))
        groups.append(lambda item: [item.name, item.small_name or ""] + _split(item.aliases))
        names = {}
        for labels_of in groups:
            for item in items:
                for label in labels_of(item):
                    key = label_key(label)
                    if key:
                        names.setdefault(key, item.code)
        names.update(extra or {})
        return names


def _split(text):
    return (text or "").replace("，", ",").split(",")
