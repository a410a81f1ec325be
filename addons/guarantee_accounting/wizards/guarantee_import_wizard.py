import base64
import io
import json

import xlsxwriter

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools import collateral_import, ledger_import

TEMPLATE_EXAMPLE = {
    "legacy_ref": "TZ2021-0001",
    "partner_name": "杭州示例科技有限公司",
    "uscc": "91330100MA2XXXXXXX",
    "legal_representative": "张三",
    "enterprise_scale": "小型",
    "is_agricultural": "否",
    "product": "流动资金贷款担保",
    "creditor": "中国工商银行杭州分行",
    "amount": 500,
    "term_months": 12,
    "fee_rate": 1.5,
    "own_share": 100,
    "loan_release_date": "2021年3月1日",
    "date_end": "2022-02-28",
    "loan_amount": 500,
    "outstanding": 300,
    "risk_class": "正常",
    "state": "在保",
}
COLLATERAL_EXAMPLE = {
    "project_ref": "TZ2021-0001",
    "legacy_ref": "FDB2021-0001",
    "kind": "抵押",
    "asset_type": "房产",
    "owner_name": "张三",
    "owner_id_no": "330106198001010013",
    "name": "杭州市西湖区示例路1号住宅",
    "appraised_value": 800,
    "haircut": 70,
    "recognized_value": 560,
    "registration_no": "浙(2021)杭州市不动产证明第0000001号",
    "registration_authority": "杭州市不动产登记中心",
    "registration_date": "2021-02-20",
    "registration_expiry": "2022-02-28",
    "state": "已登记",
}


class GuaranteeImportWizard(models.TransientModel):
    """台账导入: read a legacy ledger, report every bad row, import the good ones on request."""

    _name = "guarantee.import.wizard"
    _description = "Ledger Import"

    file = fields.Binary(string="Ledger File (.xlsx)")
    filename = fields.Char()
    mapping_id = fields.Many2one(
        "guarantee.import.mapping",
        string="Source",
        help="Ledgers of a known source are read with the columns saved for it.",
    )
    new_source = fields.Char(
        string="New Source", help="Name under which the columns of this file are saved."
    )
    log_id = fields.Many2one("guarantee.import.log", readonly=True)
    row_count = fields.Integer(related="log_id.row_count")
    valid_row_count = fields.Integer(related="log_id.valid_row_count")
    error_row_count = fields.Integer(related="log_id.error_row_count")
    collateral_row_count = fields.Integer(related="log_id.collateral_row_count")
    collateral_error_row_count = fields.Integer(related="log_id.collateral_error_row_count")
    line_ids = fields.One2many(related="log_id.line_ids")
    template = fields.Binary(readonly=True)
    template_name = fields.Char(default="台账导入模板.xlsx", readonly=True)

    def action_download_template(self):
        """An .xlsx with the recognised headers and one example row: the projects on the first
        sheet, their counter-guarantees on the sheet 反担保."""
        self.ensure_one()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        for name, columns, example in (
            ("台账", ledger_import.COLUMNS, TEMPLATE_EXAMPLE),
            (collateral_import.SHEET_NAMES[0], collateral_import.COLUMNS, COLLATERAL_EXAMPLE),
        ):
            sheet = book.add_worksheet(name)
            for col, (target, header) in enumerate(columns):
                sheet.write(0, col, header, bold)
                sheet.write(1, col, example.get(target, ""))
                sheet.set_column(col, col, max(len(header) * 2, 12))
        book.close()
        self.template = base64.b64encode(output.getvalue())
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s/%s/template/%s?download=true"
            % (self._name, self.id, self.template_name),
            "target": "self",
        }

    def action_check(self):
        """Dry run: read and validate every row; nothing but the report is written."""
        self.ensure_one()
        if not self.file:
            raise UserError(_("Choose the ledger file to import."))
        if not self.env["res.partner"].has_access("create"):
            raise UserError(
                _("Importing a ledger creates customers: your user needs the right to create "
                  "contacts.")
            )
        attachment = self.env["ir.attachment"].create({
            "name": self.filename or "ledger.xlsx",
            "datas": self.file,
            "res_model": "guarantee.import.log",
        })
        log = self.env["guarantee.import.log"].create({
            "name": self.filename or "ledger.xlsx",
            "attachment_id": attachment.id,
        })
        attachment.res_id = log.id
        headers, _rows = log._read_rows()
        mapping = self._mapping_for(headers)
        log.write({"mapping_json": json.dumps(mapping, ensure_ascii=False),
                   "mapping_id": self.mapping_id.id})
        log._check_file()
        self.log_id = log
        return self._reopen()

    def _mapping_for(self, headers):
        """{header: target} for this file: usual headers recognised, the source's saved
        columns applied over them, and saved back for the next file of the source."""
        mapping = ledger_import.recognise_headers(headers)
        if self.new_source:
            self.mapping_id = self.env["guarantee.import.mapping"].create(
                {"name": self.new_source}
            )
        saved = self.mapping_id._as_dict()
        mapping.update({header: target for header, target in saved.items() if header in headers})
        missing = [header for target, header in ledger_import.COLUMNS
                   if target in ledger_import.REQUIRED and target not in mapping.values()]
        if missing:
            raise UserError(
                _("These columns are missing from the file or not mapped: %(columns)s.",
                  columns="、".join(missing))
            )
        if self.mapping_id:
            self.mapping_id._remember(mapping)
        return mapping

    def action_import(self):
        """Import the valid rows the check reported, the bad ones left out."""
        self.ensure_one()
        if not self.log_id:
            raise UserError(_("Check the file before importing it."))
        self.log_id.action_import()
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.import.log",
            "res_id": self.log_id.id,
            "view_mode": "form",
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
