from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import _, models

from ..models.guarantee_report_figures import WEIGHT_CATEGORIES
from ..models.guarantee_report_run import management_labels
from ..tools.management_pdf import key_figures

FIRST_DATA_ROW = 4  # title, company and period, unit, header


class GuaranteeReportRunXlsx(models.AbstractModel):
    """The files of a report run: the regulator's monthly forms (融资担保公司监管报表) or the
    management report, from the same figures as the PDF and the dashboard."""

    _name = "report.guarantee_reporting.report_run_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Guarantee Report Workbook"

    def _get_objs_for_report(self, docids, data):
        return self.env["guarantee.report.run"].browse(docids)

    def generate_xlsx_report(self, workbook, data, runs):
        for run in runs:
            values = run._figures_data()
            formats = self._formats(workbook)
            if run.kind == "regulatory":
                self._regulatory(workbook, formats, values)
            else:
                self._management(workbook, formats, values)

    # ------------------------------------------------------------------ helpers

    def _formats(self, workbook):
        base = {"font_name": "SimSun", "font_size": 10, "border": 1, "valign": "vcenter"}
        return {
            "title": workbook.add_format({"font_name": "SimSun", "bold": True, "font_size": 14,
                                          "align": "center"}),
            "note": workbook.add_format({"font_name": "SimSun", "font_size": 10}),
            "header": workbook.add_format(dict(base, bold=True, bg_color="#DCE6F1",
                                               align="center", text_wrap=True)),
            "text": workbook.add_format(base),
            "money": workbook.add_format(dict(base, num_format="#,##0.00")),
            "int": workbook.add_format(dict(base, num_format="0")),
            "pct": workbook.add_format(dict(base, num_format="0.00%")),
            "ratio": workbook.add_format(dict(base, num_format="0.00")),
            "total_text": workbook.add_format(dict(base, bold=True)),
            "total_money": workbook.add_format(dict(base, bold=True, num_format="#,##0.00")),
            "total_int": workbook.add_format(dict(base, bold=True, num_format="0")),
        }

    def _sheet(self, workbook, formats, name, title, values, headers, widths):
        sheet = workbook.add_worksheet(name)
        sheet.merge_range(0, 0, 0, len(headers) - 1, title, formats["title"])
        sheet.write(1, 0, _("Reporting entity: %(company)s", company=values["company"]),
                    formats["note"])
        sheet.write(1, len(headers) - 1, _("Period: %(period)s", period=values["period_text"]),
                    formats["note"])
        sheet.write(2, len(headers) - 1, _("Unit: yuan"), formats["note"])
        for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.write(3, column, header, formats["header"])
            sheet.set_column(column, column, width)
        sheet.freeze_panes(FIRST_DATA_ROW, 1)
        return sheet

    def _write_rows(self, sheet, formats, rows, kinds):
        """``rows`` of values, ``kinds`` the format of each column."""
        for number, row in enumerate(rows):
            for column, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                cell_format = formats[kind]
                if value is None:
                    sheet.write_blank(FIRST_DATA_ROW + number, column, None, cell_format)
                elif kind == "text":
                    sheet.write_string(FIRST_DATA_ROW + number, column, str(value), cell_format)
                else:
                    sheet.write_number(FIRST_DATA_ROW + number, column, float(value),
                                       cell_format)
        return FIRST_DATA_ROW + len(rows)

    def _write_totals(self, sheet, formats, row, count, columns, totals, label=None):
        """A total row: SUM formulas over the data rows, with the figures' own totals as the
        cached values (so both a reader and a recalculation show the same)."""
        sheet.write_string(row, 0, label or _("Total"), formats["total_text"])
        for column, kind in columns.items():
            top = xl_rowcol_to_cell(FIRST_DATA_ROW, column)
            bottom = xl_rowcol_to_cell(FIRST_DATA_ROW + count - 1, column)
            sheet.write_formula(row, column, "=SUM(%s:%s)" % (top, bottom),
                                formats["total_" + kind], float(totals[column]))

    # ------------------------------------------------------------------ regulatory

    def _regulatory(self, workbook, formats, values):
        self._business_sheet(workbook, formats, values)
        self._liability_sheet(workbook, formats, values)
        self._leverage_sheet(workbook, formats, values)
        self._reserve_sheet(workbook, formats, values)
        self._compensation_sheet(workbook, formats, values)

    def _business_sheet(self, workbook, formats, values):
        sheet = self._sheet(
            workbook, formats, "业务情况", _("Business in force and flows"), values,
            [_("Business type"), _("Projects in force"), _("Balance in force"),
             _("Liability balance"), _("New in period"), _("Released in period")],
            [24, 12, 18, 18, 18, 18],
        )
        rows = [(r["label"], r["count"], r["balance"], r["liability_balance"], r["new"],
                 r["released"]) for r in values["by_type"]]
        end = self._write_rows(sheet, formats, rows, ["text", "int", "money", "money", "money",
                                                      "money"])
        pos, per = values["position"], values["period"]
        self._write_totals(sheet, formats, end, len(rows), {
            1: "int", 2: "money", 3: "money", 4: "money", 5: "money",
        }, {1: pos["count"], 2: pos["balance"],
            3: sum(r["liability_balance"] for r in values["by_type"]),
            4: per["new"], 5: per["released"]})

    def _liability_sheet(self, workbook, formats, values):
        sheet = self._sheet(
            workbook, formats, "责任余额计量", _("Financing liability balance by weight"), values,
            [_("Category"), _("Projects"), _("Balance in force"), _("Weight"),
             _("Liability balance")],
            [40, 10, 18, 10, 18],
        )
        labels = {key: label for key, label, _weight in WEIGHT_CATEGORIES}
        translated = dict(self.env["guarantee.report.position"]._fields["weight_category"]
                          ._description_selection(self.env))
        by_weight = values["position"]["by_weight"]
        rows = [(translated.get(key, labels[key]), by_weight[key]["count"],
                 by_weight[key]["balance"], by_weight[key]["weight"],
                 by_weight[key]["liability_balance"]) for key in labels]
        end = self._write_rows(sheet, formats, rows, ["text", "int", "money", "pct", "money"])
        pos = values["position"]
        self._write_totals(sheet, formats, end, len(rows), {1: "int", 2: "money", 4: "money"}, {
            1: sum(r[1] for r in rows), 2: pos["financing_balance"], 4: pos["liability_balance"],
        }, label=_("Financing guarantees total"))
        sheet.write_string(end + 1, 0, _("Non-financing guarantees (not weighted)"),
                           formats["text"])
        sheet.write_number(end + 1, 2, float(pos["non_financing_balance"]), formats["money"])

    def _leverage_sheet(self, workbook, formats, values):
        pos = values["position"]
        sheet = self._sheet(
            workbook, formats, "放大倍数与集中度", _("Leverage and concentration"), values,
            [_("No."), _("Party"), _("Liability balance"), _("Share of net assets")],
            [8, 40, 18, 16],
        )
        rows = [(number, party["name"], party["liability_balance"], party["share"])
                for number, party in enumerate(pos["top_parties"], start=1)]
        end = self._write_rows(sheet, formats, rows, ["int", "text", "money", "pct"])
        if rows:
            self._write_totals(sheet, formats, end, len(rows), {2: "money"}, {
                2: sum(party["liability_balance"] for party in pos["top_parties"])},
                label=_("Ten largest parties"))
        row = end + 2
        sheet.write_string(row, 1, _("Related-party groups"), formats["header"])
        for number, group in enumerate(pos["top_groups"], start=1):
            sheet.write_number(row + number, 0, number, formats["int"])
            sheet.write_string(row + number, 1, group["name"], formats["text"])
            sheet.write_number(row + number, 2, float(group["liability_balance"]),
                               formats["money"])
            sheet.write_number(row + number, 3, float(group["share"] or 0), formats["pct"])
        row += len(pos["top_groups"]) + 2
        for offset, (label, value, kind) in enumerate((
            (_("Net assets"), pos["net_assets"], "money"),
            (_("Financing liability balance"), pos["liability_balance"], "money"),
            (_("Leverage"), pos["leverage"] or 0, "ratio"),
        )):
            sheet.write_string(row + offset, 1, label, formats["text"])
            sheet.write_number(row + offset, 2, float(value), formats[kind])
        row += 4
        for offset, limit in enumerate(pos["limits"]):
            sheet.write_string(row + offset, 1, _("%(limit)s: cap %(cap)s, headroom",
                                                  limit=limit["label"],
                                                  cap="{:,.2f}".format(limit["cap"])),
                               formats["text"])
            sheet.write_number(row + offset, 2, float(limit["headroom"]), formats["money"])

    def _reserve_sheet(self, workbook, formats, values):
        reserves = values["period"]["reserves"]
        sheet = self._sheet(
            workbook, formats, "准备金", _("Reserves"), values,
            [_("Reserve"), _("Provisioned in period"), _("Balance at period end")],
            [30, 20, 20],
        )
        rows = [
            (_("Unearned premium reserve"), reserves["unearned_premium"]["provisioned"],
             reserves["unearned_premium"]["balance"]),
            (_("Compensation reserve"), reserves["compensation"]["provisioned"],
             reserves["compensation"]["balance"]),
        ]
        end = self._write_rows(sheet, formats, rows, ["text", "money", "money"])
        self._write_totals(sheet, formats, end, len(rows), {1: "money", 2: "money"}, {
            1: sum(r[1] for r in rows), 2: sum(r[2] for r in rows)})

    def _compensation_sheet(self, workbook, formats, values):
        per = values["period"]
        sheet = self._sheet(
            workbook, formats, "代偿与追偿", _("Compensation and recovery"), values,
            [_("Figure"), _("Value")], [36, 20],
        )
        rows = [
            (_("Released in period"), per["released"], "money"),
            (_("Compensation paid in period"), per["compensation"], "money"),
            (_("Compensation rate"), per["compensation_rate"], "pct"),
            (_("Compensation paid to date"), per["compensation_to_date"], "money"),
            (_("Recovered to date"), per["recovery_to_date"], "money"),
            (_("Recovery rate"), per["recovery_rate"], "pct"),
            (_("Written off to date"), per["loss_to_date"], "money"),
            (_("Loss rate"), per["loss_rate"], "pct"),
            (_("Compensation receivable open"),
             per["compensation_to_date"] - per["recovery_to_date"] - per["loss_to_date"],
             "money"),
        ]
        for number, (label, value, kind) in enumerate(rows):
            sheet.write_string(FIRST_DATA_ROW + number, 0, label, formats["text"])
            if value is None:
                sheet.write_string(FIRST_DATA_ROW + number, 1, "—", formats["text"])
            else:
                sheet.write_number(FIRST_DATA_ROW + number, 1, float(value), formats[kind])

    # ------------------------------------------------------------------ management

    def _management(self, workbook, formats, values):
        labels = management_labels(self.env)
        pos, per = values["position"], values["period"]
        sheet = self._sheet(workbook, formats, "概览", values["title"], values,
                            [labels["figure"], labels["value"]], [30, 20])
        for number, (label, value, kind) in enumerate(key_figures(labels, pos, per)):
            sheet.write_string(FIRST_DATA_ROW + number, 0, label, formats["text"])
            if value is None:
                sheet.write_string(FIRST_DATA_ROW + number, 1, "—", formats["text"])
            else:
                sheet.write_number(FIRST_DATA_ROW + number, 1, float(value), formats[kind])
        trend = workbook.add_worksheet("趋势")
        headers = [labels["period"], labels["balance"], labels["liability_balance"],
                   labels["new"], labels["released"], labels["compensation"],
                   labels["npl_rate"]]
        for column, header in enumerate(headers):
            trend.write(0, column, header, formats["header"])
            trend.set_column(column, column, 16)
        for number, point in enumerate(values["trend"], start=1):
            trend.write_string(number, 0, values["format_date"](point["date"]), formats["text"])
            for column, key in enumerate(("balance", "liability_balance", "new", "released",
                                          "compensation"), start=1):
                trend.write_number(number, column, float(point[key]), formats["money"])
            trend.write_number(number, 6, float(point["npl_rate"] or 0), formats["pct"])
        chart = workbook.add_chart({"type": "line"})
        count = len(values["trend"])
        chart.add_series({"name": labels["balance"], "categories": ["趋势", 1, 0, count, 0],
                          "values": ["趋势", 1, 1, count, 1]})
        chart.add_series({"name": labels["liability_balance"],
                          "categories": ["趋势", 1, 0, count, 0],
                          "values": ["趋势", 1, 2, count, 2]})
        chart.set_title({"name": labels["trend"]})
        trend.insert_chart(count + 2, 0, chart)
        top = workbook.add_worksheet("前十大")
        for column, header in enumerate([labels["rank"], labels["party"],
                                         labels["liability_balance"], labels["share"]]):
            top.write(0, column, header, formats["header"])
        top.set_column(1, 1, 40)
        top.set_column(2, 3, 18)
        for number, party in enumerate(pos["top_parties"], start=1):
            top.write_number(number, 0, number, formats["int"])
            top.write_string(number, 1, party["name"], formats["text"])
            top.write_number(number, 2, float(party["liability_balance"]), formats["money"])
            top.write_number(number, 3, float(party["share"] or 0), formats["pct"])
        signals = workbook.add_worksheet("预警")
        for column, header in enumerate([labels["date"], labels["project"], labels["party"],
                                         labels["kind"], labels["severity"]]):
            signals.write(0, column, header, formats["header"])
            signals.set_column(column, column, 20)
        for number, signal in enumerate(values["signals"], start=1):
            for column, key in enumerate(("date", "project", "partner", "kind", "severity")):
                text = (values["format_date"](signal[key]) if key == "date"
                        else str(signal[key]))
                signals.write_string(number, column, text, formats["text"])

