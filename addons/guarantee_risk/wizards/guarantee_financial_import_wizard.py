import base64
import datetime
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_platform.tools import ocr, tabular

from ..models.guarantee_financial_import_source import COLUMN_ROLES
from ..models.guarantee_financial_statement import STANDARDS, UNITS
from ..tools import statement_reader


class GuaranteeFinancialImportWizard(models.TransientModel):
    """Read a customer's statements from its workbook or from a scan: columns and line names
    recognised (or mapped once per source and reused), amounts converted to yuan, shown
    before anything is written."""

    _name = "guarantee.financial.import.wizard"
    _description = "Import Financial Statements"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    statement_id = fields.Many2one(
        "guarantee.financial.statement",
        string="Into Statement",
        domain="[('partner_id', '=', partner_id), ('state', '=', 'draft')]",
        help="The statement that receives the closing and opening columns. Workbooks with "
        "one column per year fill (or create) the statement of each year.",
    )
    standard = fields.Selection(STANDARDS, required=True, default="general")
    kind = fields.Selection(
        [("workbook", "Workbook (.xlsx)"), ("scan", "Scanned Statement (image)")],
        required=True, default="workbook",
    )
    file = fields.Binary(string="File")
    filename = fields.Char()
    source_id = fields.Many2one(
        "guarantee.financial.import.source", string="Source",
        help="Workbooks of a known layout are recognised without choosing it.",
    )
    new_source = fields.Char(
        string="Save Mapping As", help="Name under which the columns and lines you map are kept."
    )
    unit = fields.Selection(UNITS, help="Leave empty to use the unit the document declares.")
    state = fields.Selection(
        [("upload", "Upload"), ("map", "Map"), ("preview", "Preview")], default="upload"
    )
    signature = fields.Char(readonly=True)
    detected_unit = fields.Char(readonly=True)
    message = fields.Text(readonly=True)
    column_ids = fields.One2many("guarantee.financial.import.wizard.column", "wizard_id",
                                 string="Columns")
    label_ids = fields.One2many("guarantee.financial.import.wizard.label", "wizard_id",
                                string="Unknown Lines")
    preview_ids = fields.One2many("guarantee.financial.import.wizard.preview", "wizard_id",
                                  string="Amounts Read")

    @api.onchange("statement_id")
    def _onchange_statement_id(self):
        if self.statement_id:
            self.standard = self.statement_id.standard

    # ------------------------------------------------------------------ actions

    def action_read(self):
        """Read the file; ask for a mapping when columns or lines are not recognised."""
        self.ensure_one()
        self._check_can_import()
        result = self._read()
        self.write(self._result_values(result))
        return self._reopen()

    def action_apply_mapping(self):
        """Keep the mapping for the source and read the file again with it."""
        self.ensure_one()
        roles = {line.header: line.role for line in self.column_ids if line.role}
        labels = {line.label: line.item_id.id for line in self.label_ids if line.item_id}
        if self.column_ids and not any(role in ("closing", "opening")
                                       for role in roles.values()):
            raise UserError(_("Say which column holds the amounts (closing or this period)."))
        source = self.source_id
        if not source:
            source = self.env["guarantee.financial.import.source"].create({
                "name": self.new_source or self.filename or _("Workbook"),
            })
        source._remember(roles, labels, self.signature, self.unit)
        self.source_id = source
        return self.action_read()

    def action_import(self):
        """Write the amounts read into the statements (a draft statement is filled, a year
        without a statement gets one)."""
        self.ensure_one()
        if self.state != "preview" or not self.preview_ids:
            raise UserError(_("Read the file first: nothing was read from it yet."))
        statements = self.env["guarantee.financial.statement"]
        periods = {}
        for line in self.preview_ids:
            bucket = periods.setdefault(line.date_end or False, ({}, {}))
            if line.has_closing:
                bucket[0][line.item_id.code] = line.amount
            if line.has_opening:
                bucket[1][line.item_id.code] = line.amount_opening
        for date_end, (closing, opening) in sorted(periods.items(), key=lambda p: p[0] or
                                                    datetime.date.max):
            statement = self._target_statement(date_end)
            statement._set_amounts(closing, opening)
            statement._unlocked().write({"import_source_id": self.source_id.id})
            statement.message_post(
                body=_("Amounts read from %(file)s (%(count)s lines).",
                       file=self.filename or "-", count=len(closing) + len(opening)),
                attachments=[(self.filename or "statement", base64.b64decode(self.file))],
            )
            statements |= statement
        if self.source_id:
            self.source_id.sudo().use_count += 1
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.financial.statement",
            "view_mode": "form" if len(statements) == 1 else "list,form",
            "res_id": statements.id if len(statements) == 1 else False,
            "domain": [("id", "in", statements.ids)],
            "target": "current",
        }

    # ------------------------------------------------------------------ reading

    def _check_can_import(self):
        if not self.file:
            raise UserError(_("Choose the file to read."))
        self.env["guarantee.financial.statement"].check_access("create")
        self.partner_id.check_access("read")

    def _read(self):
        content = base64.b64decode(self.file)
        unit = Decimal(self.unit) if self.unit else None
        if self.kind == "scan":
            return self._read_scan(content, unit)
        try:
            sheets = tabular.read_sheets(content)
        except tabular.CellError as error:
            raise UserError(_("The file is not an Excel workbook (.xlsx).")) from error
        signature = statement_reader.layout_signature(sheets)
        if not self.source_id:
            self.source_id = self.env["guarantee.financial.import.source"]._find(
                signature, self.env.company
            )
        source = self.source_id
        if source.unit and not unit:
            unit = Decimal(source.unit)
        result = statement_reader.read_rows(
            sheets, self._resolver(), saved_roles=source._roles(), unit=unit
        )
        result["candidate"] = statement_reader.candidate_header(sheets)
        return result

    def _read_scan(self, content, unit):
        try:
            boxes = ocr.read_boxes(content)
        except ocr.OcrUnavailable as error:
            raise UserError(
                _("Reading scans needs the OCR library, which is not installed on the server. "
                  "Ask your administrator to run: %(command)s", command=str(error))
            ) from error
        if not boxes:
            raise UserError(_("No text could be read in this image."))
        result = statement_reader.read_ocr(boxes, self._resolver(), unit=unit)
        result["candidate"] = []
        return result

    def _resolver(self):
        names = self.env["guarantee.financial.item"]._resolver(
            self.statement_id.standard or self.standard, extra=self.source_id._labels()
        )
        return names.get

    def _result_values(self, result):
        """The wizard's lines and step from what was read."""
        items = {
            item.code: item.id
            for item in self.env["guarantee.financial.item"].sudo().search([])
        }
        previews = []
        for date_end, columns in result["periods"].items():
            codes = set(columns["closing"]) | set(columns["opening"])
            for code in codes:
                previews.append((0, 0, {
                    "date_end": date_end,
                    "item_id": items[code],
                    "amount": columns["closing"].get(code, 0.0),
                    "has_closing": code in columns["closing"],
                    "amount_opening": columns["opening"].get(code, 0.0),
                    "has_opening": code in columns["opening"],
                }))
        labels = [(0, 0, {"sheet": sheet, "row": row, "label": label, "amount": amount})
                  for sheet, row, label, amount in result["unknown"]]
        columns = []
        if not result["periods"] and result["candidate"]:
            for header in result["candidate"]:
                role = statement_reader.column_role(header)
                columns.append((0, 0, {
                    "header": header,
                    "role": role if role in dict(COLUMN_ROLES) else False,
                }))
        state = "preview" if previews else "map"
        if not previews and not columns and not labels:
            raise UserError(
                _("No statement line was recognised in this file: it needs a column of line "
                  "names (项目, 资产, 负债和所有者权益…) and columns of amounts.")
            )
        return {
            "state": state,
            "signature": result["signature"],
            "detected_unit": self._unit_label(result["unit"]),
            "message": self._message(result, state),
            "preview_ids": [(5, 0, 0)] + previews,
            "label_ids": [(5, 0, 0)] + labels,
            "column_ids": [(5, 0, 0)] + columns,
        }

    def _unit_label(self, factor):
        labels = dict(self._fields["unit"]._description_selection(self.env))
        return labels.get(str(int(factor)), str(factor))

    def _message(self, result, state):
        lines = []
        if self.source_id:
            lines.append(_("Read with the mapping of the source %(name)s.",
                           name=self.source_id.name))
        if not result["periods"]:
            lines.append(_("The amount columns were not recognised: say what each column "
                           "holds."))
        if result["unknown"]:
            lines.append(_("%(count)s lines have names that are not statement items: choose "
                           "their item, or leave them empty to skip them.",
                           count=len(result["unknown"])))
        if state == "preview":
            lines.append(_("Check the amounts read (in yuan), then import them."))
        return "\n".join(lines)

    def _target_statement(self, date_end):
        """The draft statement chosen, or the customer's statement of ``date_end`` (created
        when there is none)."""
        Statement = self.env["guarantee.financial.statement"]
        if not date_end:
            if not self.statement_id:
                raise UserError(
                    _("This workbook has closing and opening columns: choose the statement "
                      "they go into.")
                )
            return self.statement_id
        kind = "annual" if (date_end.month, date_end.day) == (12, 31) else "interim"
        statement = Statement.search([
            ("partner_id", "=", self.partner_id.id), ("date_end", "=", date_end),
            ("kind", "=", kind), ("company_id", "=", self.env.company.id),
        ], limit=1)
        return statement or Statement.create({
            "partner_id": self.partner_id.id,
            "date_end": date_end,
            "kind": kind,
            "standard": self.standard,
            "unit": self.unit or "1",
        })

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class GuaranteeFinancialImportWizardColumn(models.TransientModel):
    _name = "guarantee.financial.import.wizard.column"
    _description = "Statement Import Column"

    wizard_id = fields.Many2one("guarantee.financial.import.wizard", required=True,
                                ondelete="cascade")
    header = fields.Char(string="Column Header", readonly=True)
    role = fields.Selection(COLUMN_ROLES)


class GuaranteeFinancialImportWizardLabel(models.TransientModel):
    _name = "guarantee.financial.import.wizard.label"
    _description = "Statement Import Unknown Line"

    wizard_id = fields.Many2one("guarantee.financial.import.wizard", required=True,
                                ondelete="cascade")
    sheet = fields.Char(readonly=True)
    row = fields.Integer(readonly=True)
    label = fields.Char(string="Name in the File", readonly=True)
    amount = fields.Float(digits=(16, 2), readonly=True)
    item_id = fields.Many2one("guarantee.financial.item", string="Item")


class GuaranteeFinancialImportWizardPreview(models.TransientModel):
    _name = "guarantee.financial.import.wizard.preview"
    _description = "Statement Import Amount"
    _order = "date_end, item_id"

    wizard_id = fields.Many2one("guarantee.financial.import.wizard", required=True,
                                ondelete="cascade")
    date_end = fields.Date(string="Period End", readonly=True)
    item_id = fields.Many2one("guarantee.financial.item", string="Item", readonly=True)
    statement_type = fields.Selection(related="item_id.statement")
    amount = fields.Float(string="Closing / This Period", digits=(16, 2), readonly=True)
    has_closing = fields.Boolean(readonly=True)
    amount_opening = fields.Float(string="Opening / Prior Period", digits=(16, 2),
                                  readonly=True)
    has_opening = fields.Boolean(readonly=True)
