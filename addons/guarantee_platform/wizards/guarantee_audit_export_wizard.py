import base64
import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class GuaranteeAuditExportWizard(models.TransientModel):
    """The audit log of a period as an XLSX workbook for internal or external auditors."""

    _name = "guarantee.audit.export.wizard"
    _description = "Audit Log Export"

    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    data_file = fields.Binary(string="File", readonly=True, attachment=False)
    data_filename = fields.Char(readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        if any(w.date_from > w.date_to for w in self):
            raise UserError(_("The period ends before it starts."))

    def action_export(self):
        self.ensure_one()
        content = self._xlsx(self._lines())
        self.write({
            "data_file": base64.b64encode(content),
            "data_filename": "audit-log-%s-%s.xlsx" % (self.date_from, self.date_to),
        })
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s/%s/data_file/%s?download=true"
            % (self._name, self.id, self.data_filename),
            "target": "self",
        }

    def _lines(self):
        """The rows of the period: one per changed field, one for a record without lines."""
        start = fields.Datetime.to_datetime(self.date_from)
        end = fields.Datetime.add(fields.Datetime.to_datetime(self.date_to), days=1)
        logs = self.env["auditlog.log"].sudo().search(
            [("create_date", ">=", start), ("create_date", "<", end)], order="create_date, id"
        )
        rows = []
        for log in logs:
            common = [
                fields.Datetime.to_string(log.create_date), log.user_id.name or "",
                log.model_model or "", log.name or "", log.res_id or "", log.method or "",
            ]
            for line in log.line_ids or [None]:
                if line is None:
                    rows.append(common + ["", "", ""])
                else:
                    rows.append(common + [line.field_description or line.field_name or "",
                                          line.old_value_text or "", line.new_value_text or ""])
        return rows

    def _xlsx(self, rows):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Audit Log"))
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, [
            _("Date (UTC)"), _("User"), _("Model"), _("Record Name"), _("Record ID"),
            _("Operation"), _("Field"), _("Old Value"), _("New Value"),
        ], bold)
        for index, row in enumerate(rows, start=1):
            sheet.write_row(index, 0, row)
        sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()
