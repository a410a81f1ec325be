"""The management daily, weekly and monthly report as PDF (no ORM: it lays out figures it is
given), through the shared PDF pipeline of guarantee_base, with reportlab charts."""

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfDocument

WAN = 10000  # charts in 万元


def key_figures(labels, pos, per):
    """(label, value, format) of the key figures, in the order the PDF and XLSX show them."""
    return [
        (labels["balance"], pos["balance"], "money"),
        (labels["liability_balance"], pos["liability_balance"], "money"),
        (labels["non_financing_balance"], pos["non_financing_balance"], "money"),
        (labels["new"], per["new"], "money"),
        (labels["released"], per["released"], "money"),
        (labels["compensation"], per["compensation"], "money"),
        (labels["compensation_rate"], per["compensation_rate"], "pct"),
        (labels["recovery_rate"], per["recovery_rate"], "pct"),
        (labels["loss_rate"], per["loss_rate"], "pct"),
        (labels["npl_rate"], pos["npl_rate"], "pct"),
        (labels["leverage"], pos["leverage"], "ratio"),
        (labels["overdue_fees"], per["overdue_fees"], "money"),
    ]


def format_value(value, kind):
    if value is None:
        return "—"
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "pct":
        return f"{value:.2%}"
    return f"{value:.2f}"


def _short(day):
    return day.strftime("%m-%d")


def _frame(chart, font, points, series):
    """Place a chart, give it the series (万元) and label its axes over the dates."""
    chart.x, chart.y = 15 * mm, 12 * mm
    chart.width, chart.height = 145 * mm, 45 * mm
    chart.data = [[float(p[key]) / WAN for p in points] for key, _label in series]
    chart.categoryAxis.categoryNames = [_short(p["date"]) for p in points]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0


def _line_chart(font, title, points, series):
    """Balance lines (万元) over the trend's dates."""
    drawing = Drawing(170 * mm, 70 * mm)
    chart = HorizontalLineChart()
    _frame(chart, font, points, series)
    palette = [colors.HexColor("#1F77B4"), colors.HexColor("#FF7F0E")]
    for index in range(len(series)):
        chart.lines[index].strokeColor = palette[index % 2]
        chart.lines[index].strokeWidth = 1.5
    drawing.add(chart)
    drawing.add(String(15 * mm, 63 * mm, title, fontName=font, fontSize=10))
    legend = Legend()
    legend.x, legend.y = 100 * mm, 66 * mm
    legend.fontName = font
    legend.fontSize = 8
    legend.columnMaximum = 1
    legend.colorNamePairs = [(palette[i % 2], label) for i, (_key, label) in enumerate(series)]
    drawing.add(legend)
    return drawing


def _bar_chart(font, title, points, series):
    """New, released and compensation (万元) per sub-period."""
    drawing = Drawing(170 * mm, 70 * mm)
    chart = VerticalBarChart()
    _frame(chart, font, points, series)
    palette = [colors.HexColor("#2CA02C"), colors.HexColor("#9467BD"),
               colors.HexColor("#D62728")]
    for index in range(len(series)):
        chart.bars[index].fillColor = palette[index]
    drawing.add(chart)
    drawing.add(String(15 * mm, 63 * mm, title, fontName=font, fontSize=10))
    legend = Legend()
    legend.x, legend.y = 85 * mm, 66 * mm
    legend.fontName = font
    legend.fontSize = 8
    legend.columnMaximum = 1
    legend.colorNamePairs = [(palette[i], label) for i, (_key, label) in enumerate(series)]
    drawing.add(legend)
    return drawing


def build_management_pdf(data):
    """PDF bytes of a management report from ``GuaranteeReportRun._management_data()``."""
    labels = data["labels"]
    pos, per, trend = data["position"], data["period"], data["trend"]
    doc = PdfDocument(data["title"], header=data["company"], footer=data["title"])
    doc.text(data["title"], "title")
    doc.text(labels["generated"] + "　" + labels["unit"], "small")
    doc.text(labels["key_figures"], "h2")
    doc.table(
        [[labels["figure"], labels["value"]]]
        + [[label, format_value(value, kind)] for label, value, kind in
           key_figures(labels, pos, per)],
        col_widths_mm=[80, 60], align_right_from=1,
    )
    unit = "（万元）"
    balance_series = [("balance", labels["balance"]),
                      ("liability_balance", labels["liability_balance"])]
    flow_series = [("new", labels["new"]), ("released", labels["released"]),
                   ("compensation", labels["compensation"])]
    doc.text(labels["trend"], "h2")
    chart_texts = [labels["trend"] + unit] + [label for _key, label in
                                              balance_series + flow_series]
    chart_texts += [_short(p["date"]) for p in trend]
    doc.chart(lambda font: _line_chart(font, labels["trend"] + unit, trend, balance_series),
              chart_texts)
    doc.chart(lambda font: _bar_chart(font, labels["period"] + unit, trend, flow_series),
              [labels["period"] + unit])
    doc.table(
        [[labels["period"], labels["balance"], labels["new"], labels["released"],
          labels["compensation"], labels["npl_rate"]]]
        + [[data["format_date"](p["date"]), format_value(p["balance"], "money"),
            format_value(p["new"], "money"), format_value(p["released"], "money"),
            format_value(p["compensation"], "money"), format_value(p["npl_rate"], "pct")]
           for p in trend],
        col_widths_mm=[24, 32, 28, 28, 28, 26], align_right_from=1, size=8,
    )
    doc.page_break()
    doc.text(labels["top10"], "h2")
    doc.table(
        [[labels["rank"], labels["party"], labels["liability_balance"], labels["share"]]]
        + [[str(n), party["name"], format_value(party["liability_balance"], "money"),
            format_value(party["share"], "pct")]
           for n, party in enumerate(pos["top_parties"], start=1)],
        col_widths_mm=[12, 80, 40, 34], align_right_from=2,
    )
    doc.text(labels["signals"], "h2")
    if data["signals"]:
        doc.table(
            [[labels["date"], labels["project"], labels["party"], labels["kind"],
              labels["severity"]]]
            + [[data["format_date"](s["date"]), s["project"], s["partner"], s["kind"],
                s["severity"]]
               for s in data["signals"]],
            col_widths_mm=[24, 32, 56, 30, 24],
        )
    else:
        doc.text(labels["none"])
    return doc.build()
