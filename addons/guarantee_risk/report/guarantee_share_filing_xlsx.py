from odoo import _, models

from ..models.guarantee_share_filing_column import DEFAULT_KEYS

MONEY_KEYS = ("amount", "loan_amount", "covered_amount")
DATE_KEYS = ("loan_release_date", "date_end", "deadline")


class GuaranteeShareFilingXlsx(models.AbstractModel):
    """The filing file (备案清单) of one agreement, in the columns its counterparty asks for."""

    _name = "report.guarantee_risk.share_filing_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Risk-Sharing Filing File"

    def _get_objs_for_report(self, docids, data):
        return self.env["guarantee.share.filing"].browse(docids)

    def generate_xlsx_report(self, workbook, data, filings):
        agreement = filings.agreement_id[:1]
        columns = self._columns(agreement)
        text = workbook.add_format({"font_name": "SimSun", "font_size": 10, "border": 1})
        header = workbook.add_format({"font_name": "SimSun", "font_size": 10, "border": 1,
                                      "bold": True, "bg_color": "#DCE6F1", "align": "center"})
        money = workbook.add_format({"font_name": "SimSun", "font_size": 10, "border": 1,
                                     "num_format": "#,##0.00"})
        day = workbook.add_format({"font_name": "SimSun", "font_size": 10, "border": 1,
                                   "num_format": "yyyy-mm-dd"})
        sheet = workbook.add_worksheet(_("Filings"))
        sheet.write(0, 0, _("Filing list of %(company)s under %(agreement)s",
                            company=agreement.company_id.name, agreement=agreement.name))
        for col, (_key, title) in enumerate(columns):
            sheet.write(1, col, title, header)
            sheet.set_column(col, col, 16)
        for row, filing in enumerate(filings.sorted(lambda f: (f.date_deadline, f.id)), start=2):
            values = filing._filing_row()
            for col, (key, _title) in enumerate(columns):
                value = values[key]
                if key in MONEY_KEYS:
                    sheet.write_number(row, col, value, money)
                elif key in DATE_KEYS and value:
                    sheet.write_datetime(row, col, value, day)
                elif isinstance(value, (int, float)):
                    sheet.write_number(row, col, value, text)
                else:
                    sheet.write_string(row, col, str(value or ""), text)

    def _columns(self, agreement):
        """[(key, header)] of the agreement's columns, or of the default ones."""
        names = dict(self.env["guarantee.share.filing.column"]._fields["key"]
                     ._description_selection(self.env))
        if agreement.filing_column_ids:
            return [(column.key, column.header or names[column.key])
                    for column in agreement.filing_column_ids.sorted("sequence")]
        return [(key, names[key]) for key in DEFAULT_KEYS]
