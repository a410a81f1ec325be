"""Contract PDF with Chinese text, built with reportlab from the contract's html.

wkhtmltopdf is not required: the html blocks (headings, paragraphs, list items, tables) become
reportlab flowables set in the Adobe CJK font STSong-Light, which every PDF reader knows without
an embedded file. Every page carries its number as 第 n 页 共 N 页.
"""

import io
from xml.sax.saxutils import escape

from lxml import html as lxml_html
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
BLOCK_TAGS = {"h1", "h2", "h3", "h4", "p", "li", "table", "div", "blockquote", "pre"}


def _register_font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _styles():
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=17, wordWrap="CJK")
    return {
        "h1": ParagraphStyle("h1", parent=base, fontSize=18, leading=26, alignment=TA_CENTER,
                             spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontSize=13, leading=20, spaceBefore=6,
                             spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base, fontSize=11.5, leading=18, spaceBefore=4),
        "li": ParagraphStyle("li", parent=base, leftIndent=12),
        "body": ParagraphStyle("p", parent=base, spaceAfter=4),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13),
    }


def _text(element):
    return " ".join(element.text_content().split())


def _flowables(root, styles):
    """Walk the html and turn each block into a flowable, in document order."""
    flowables = []
    for element in root:
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "table":
            rows = [
                [Paragraph(escape(_text(cell)), styles["small"]) for cell in row
                 if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]
                for row in element.iter("tr")
            ]
            rows = [row for row in rows if row]
            if rows:
                table = Table(rows, hAlign="LEFT", repeatRows=1)
                table.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]))
                flowables += [table, Spacer(1, 4)]
        elif tag in ("ul", "ol", "section", "div", "article", "body") and any(
            isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS | {"ul", "ol"}
            for child in element
        ):
            flowables += _flowables(element, styles)
        elif tag in BLOCK_TAGS or tag in ("ul", "ol"):
            text = _text(element)
            if text:
                style = styles.get(tag if tag in ("h1", "h2", "h3", "li") else "body")
                if tag == "h4":
                    style = styles["h3"]
                flowables.append(Paragraph(escape(text), style))
        elif tag == "br":
            flowables.append(Spacer(1, 6))
        else:
            text = _text(element)
            if text:
                flowables.append(Paragraph(escape(text), styles["body"]))
    return flowables


def _numbered_canvas(footer_prefix):
    class NumberedCanvas(rl_canvas.Canvas):
        """Keeps every page until the end, so that each can show the total page count."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self.setFont(FONT, 9)
                self.drawCentredString(
                    A4[0] / 2, 12 * mm,
                    "%s第 %d 页 共 %d 页" % (footer_prefix, self._pageNumber, total),
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def build_contract_pdf(title, summary_lines, body_html, footer=""):
    """Return the PDF bytes of a contract.

    ``summary_lines`` are printed under the title (number, parties, amount in figures and in
    capitals) so that the key terms appear whatever the template says.
    """
    _register_font()
    styles = _styles()
    story = [Paragraph(escape(title), styles["h1"])]
    story += [Paragraph(escape(line), styles["small"]) for line in summary_lines]
    story.append(Spacer(1, 8))
    root = lxml_html.fragment_fromstring(body_html or "<p></p>", create_parent="div")
    story += _flowables(root, styles)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
        topMargin=20 * mm, bottomMargin=22 * mm, title=title,
    )
    document.build(story, canvasmaker=_numbered_canvas(footer + "  " if footer else ""))
    return buffer.getvalue()
