from odoo import api, fields, models

from odoo.addons.guarantee_platform.tools.tabular import header_key

from ..tools.statement_reader import label_key

COLUMN_ROLES = [
    ("label", "Line Name"),
    ("closing", "Closing / This Period"),
    ("opening", "Opening / Prior Period"),
    ("line_no", "Line Number"),
    ("ignore", "Ignore"),
]


class GuaranteeFinancialImportSource(models.Model):
    """Where statement workbooks come from (a customer's accounting software, an audit
    firm's template…): the layout it was recognised by, and the columns and line names a user
    mapped once, reused automatically when a workbook of the same layout comes again."""

    _name = "guarantee.financial.import.source"
    _description = "Statement Import Source"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(string="Source", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    signature = fields.Char(
        string="Layout", index=True, readonly=True,
        help="Fingerprint of the header rows of the workbooks of this source.",
    )
    unit = fields.Selection(
        [("1", "Yuan"), ("1000", "Thousand Yuan"), ("10000", "Ten Thousand Yuan")],
        help="The unit of the workbooks when they do not say it.",
    )
    column_ids = fields.One2many("guarantee.financial.import.source.column", "source_id",
                                 string="Columns")
    label_ids = fields.One2many("guarantee.financial.import.source.label", "source_id",
                                string="Line Names")
    use_count = fields.Integer(string="Workbooks Read", readonly=True)

    _sql_constraints = [
        ("name_company_unique", "unique(name, company_id)", "A source is named only once."),
    ]

    def _roles(self):
        """{header key: role} mapped for this source."""
        return {line.header_key: line.role for line in self.column_ids}

    def _labels(self):
        """{label key: item code} mapped for this source."""
        return {line.label_key: line.item_id.code for line in self.label_ids if line.item_id}

    def _remember(self, roles, labels, signature, unit=None):
        """Keep ``roles`` {header: role} and ``labels`` {label: item id} (added to what was
        mapped before) and the layout they were made for."""
        self.ensure_one()
        known_headers = {line.header_key: line for line in self.column_ids}
        known_labels = {line.label_key: line for line in self.label_ids}
        commands, label_commands = [], []
        for header, role in roles.items():
            key = header_key(header)
            if key in known_headers:
                commands.append((1, known_headers[key].id, {"role": role}))
            elif key:
                commands.append((0, 0, {"header": header, "role": role}))
        for label, item_id in labels.items():
            key = label_key(label)
            if key in known_labels:
                label_commands.append((1, known_labels[key].id, {"item_id": item_id}))
            elif key:
                label_commands.append((0, 0, {"label": label, "item_id": item_id}))
        values = {"column_ids": commands, "label_ids": label_commands}
        if signature:
            values["signature"] = signature
        if unit:
            values["unit"] = unit
        self.write(values)

    @api.model
    def _find(self, signature, company):
        if not signature:
            return self.browse()
        return self.search(
            [("signature", "=", signature), ("company_id", "=", company.id)], limit=1
        )


class GuaranteeFinancialImportSourceColumn(models.Model):
    _name = "guarantee.financial.import.source.column"
    _description = "Statement Import Column"
    _order = "id"

    source_id = fields.Many2one(
        "guarantee.financial.import.source", required=True, ondelete="cascade", index=True
    )
    header = fields.Char(string="Column Header", required=True)
    header_key = fields.Char(compute="_compute_header_key", store=True)
    role = fields.Selection(COLUMN_ROLES, required=True)

    @api.depends("header")
    def _compute_header_key(self):
        for line in self:
            line.header_key = header_key(line.header)


class GuaranteeFinancialImportSourceLabel(models.Model):
    _name = "guarantee.financial.import.source.label"
    _description = "Statement Import Line Name"
    _order = "id"

    source_id = fields.Many2one(
        "guarantee.financial.import.source", required=True, ondelete="cascade", index=True
    )
    label = fields.Char(string="Name in the Workbook", required=True)
    label_key = fields.Char(compute="_compute_label_key", store=True)
    item_id = fields.Many2one("guarantee.financial.item", string="Item", ondelete="cascade")

    @api.depends("label")
    def _compute_label_key(self):
        for line in self:
            line.label_key = label_key(line.label)
