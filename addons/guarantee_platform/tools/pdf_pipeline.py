"""The one PDF pipeline of the guarantee addons (contracts, due-diligence, regulatory and
management reports). It lives in guarantee_platform so that every addon can use it.

reportlab lays the pages out; a Chinese font found on the machine is EMBEDDED (subset to the
characters of the document), so the PDF reads the same on any reader. Chinese line breaking is
done here, not by reportlab: no line starts with closing punctuation (，。；：？！、）…) and no
line ends with an opening one (（《“…); numbers and Latin words are never split. Every page has a
header and a footer with 第 n 页 共 N 页; contracts end with a signature block whose seal
positions are reported back (for the e-signature provider).

The Noto CJK fonts of Debian (fonts-noto-cjk) have PostScript (CFF) outlines that reportlab
cannot embed: the subset is converted to TrueType outlines with fontTools first.
"""

import glob
import hashlib
import io
import logging
import os
import re
from functools import lru_cache

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

# 避头点: may not start a line. 避尾点: may not end one.
CANNOT_START = "，。；：？！、）》」』】〕〉”’…—·%‰℃,.;:?!)]}"
CANNOT_END = "（《「『【〔〈“‘([{￥$"
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,%¥$@#&_/+\-=:'']")

# fontTools logs every table it prunes at INFO: one line per table and per document.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONT_ENV = "GUARANTEE_PDF_FONT"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))
# Simplified-Chinese faces first; TrueType-outline fonts need no conversion.
FONT_PATTERNS = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "NotoSerifCJK-Regular.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "uming.ttc",
    "DroidSansFallbackFull.ttf",
)


class PdfFontError(Exception):
    """No usable Chinese font on this machine."""


# ---------------------------------------------------------------------- line breaking


def _can_break(text, index):
    """May a line end before ``text[index]``?"""
    before, after = text[index - 1], text[index]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if after == " ":
        return True
    return not (_UNBREAKABLE.match(before) and _UNBREAKABLE.match(after))


def break_lines(text, measure, width):
    """Split ``text`` into lines no wider than ``width`` (``measure(s)`` gives a width).

    Greedy, then moved back to the nearest allowed break; a line with no allowed break (one
    very long number) overflows rather than breaking a rule. Explicit newlines are kept.
    """
    lines = []
    for paragraph in text.split("\n"):
        start = 0
        while start < len(paragraph):
            end = start + 1
            while end < len(paragraph) and measure(paragraph[start:end + 1]) <= width:
                end += 1
            if end < len(paragraph):
                cut = end
                while cut > start + 1 and not _can_break(paragraph, cut):
                    cut -= 1
                if cut == start + 1 and not _can_break(paragraph, cut):
                    cut = end
                    while cut < len(paragraph) and not _can_break(paragraph, cut):
                        cut += 1
                end = cut
            lines.append(paragraph[start:end].rstrip())
            start = end
            while start < len(paragraph) and paragraph[start] == " ":
                start += 1
        if not paragraph:
            lines.append("")
    return lines


# ---------------------------------------------------------------------- fonts


def find_cjk_font():
    """(path, face index) of a Chinese font: $GUARANTEE_PDF_FONT, else the first of
    FONT_PATTERNS found under the usual font folders."""
    override = os.environ.get(FONT_ENV)
    if override:
        if not os.path.isfile(override):
            raise PdfFontError("%s=%s is not a font file." % (FONT_ENV, override))
        return override, _simplified_face(override)
    for pattern in FONT_PATTERNS:
        for folder in FONT_DIRS:
            found = sorted(glob.glob(os.path.join(folder, "**", pattern), recursive=True))
            if found:
                return found[0], _simplified_face(found[0])
    raise PdfFontError(
        "No Chinese font was found for the PDF (looked for %s under %s). Install the Debian "
        "package fonts-noto-cjk, or set %s to a TTF, OTF or TTC file."
        % (", ".join(FONT_PATTERNS[:3]), ", ".join(FONT_DIRS), FONT_ENV)
    )


def _simplified_face(path):
    """Index of the Simplified-Chinese face of a collection (0 for a single font)."""
    if not path.lower().endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for index, face in enumerate(collection.fonts):
        name = face["name"].getDebugName(4) or ""
        if name.endswith(" SC") and "Mono" not in name:
            return index
    return 0


@lru_cache(maxsize=32)
def _subset_font_bytes(path, index, characters, postscript_name):
    """A TrueType font with only ``characters`` (CFF outlines converted to quadratic), named
    ``postscript_name``: reportlab keeps one face per PostScript name for the life of the
    process, so subsets sharing the original name would all print with the first one's glyphs
    (every character the first PDF of a worker did not use turned into a blank box)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont as FontToolsFont

    font = FontToolsFont(path, fontNumber=index, lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "VORG", "vhea", "vmtx", "DSIG", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    names = font["name"]
    names.removeNames(nameID=6)
    names.setName(postscript_name, 6, 3, 1, 0x409)
    names.setName(postscript_name, 6, 1, 0, 0)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _cff_to_glyf(font):
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints",
        "maxContours", "maxCompositePoints", "maxCompositeContours", "maxComponentDepth",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font.sfntVersion = "\0\1\0\0"


def embedded_font(characters):
    """Register (once) and return the name of a reportlab font covering ``characters``."""
    path, index = find_cjk_font()
    characters = "".join(sorted(set(characters) | set(" 0123456789第页共-/")))
    digest = hashlib.sha1(("%s|%s|%s" % (path, index, characters)).encode()).hexdigest()[:12]
    name = "GuaranteeCJK-%s" % digest
    if name not in pdfmetrics.getRegisteredFontNames():
        data = _subset_font_bytes(path, index, characters, name)
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    return name


# ---------------------------------------------------------------------- flowables


class CJKText(Flowable):
    """A paragraph broken by ``break_lines``; splits across pages between lines."""

    def __init__(self, text, font, size=10.5, leading=None, align="left", space_after=3,
                 color=colors.black):
        super().__init__()
        self.text = text or ""
        self.font = font
        self.size = size
        self.leading = leading or size * 1.6
        self.align = align
        self.space_after = space_after
        self.color = color
        self.lines = []

    def _measure(self, text):
        return pdfmetrics.stringWidth(text, self.font, self.size)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.lines = break_lines(self.text, self._measure, avail_width)
        self.height = len(self.lines) * self.leading
        return avail_width, self.height

    def getSpaceAfter(self):
        return self.space_after

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        head = CJKText("", self.font, self.size, self.leading, self.align, 0, self.color)
        tail = CJKText("", self.font, self.size, self.leading, self.align, self.space_after,
                       self.color)
        head.text = "\n".join(self.lines[:fit])
        tail.text = "\n".join(self.lines[fit:])
        return [head, tail]

    def draw(self):
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(self.color)
        for number, line in enumerate(self.lines):
            y = self.height - (number + 1) * self.leading + (self.leading - self.size) / 2
            if self.align == "center":
                canvas.drawCentredString(self.width / 2, y, line)
            elif self.align == "right":
                canvas.drawRightString(self.width, y, line)
            else:
                canvas.drawString(0, y, line)


class SignatureBlock(Flowable):
    """One column per party: name, signature line, date, and a dashed circle where the seal
    goes. ``positions`` receives, at drawing time, where each seal is on its page."""

    SEAL = 40 * mm

    def __init__(self, parties, font, labels, positions):
        super().__init__()
        self.parties = parties
        self.font = font
        self.labels = labels
        self.positions = positions
        self.height = self.SEAL + 30 * mm

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.height

    def draw(self):
        canvas = self.canv
        column = self.width / max(len(self.parties), 1)
        for number, (role, name) in enumerate(self.parties):
            x = number * column
            canvas.setFont(self.font, 10.5)
            canvas.drawString(x, self.height - 6 * mm, "%s（%s）：%s" % (
                role, self.labels["seal"], name))
            center_x, center_y = x + column / 2, self.height - 10 * mm - self.SEAL / 2
            canvas.saveState()
            canvas.setDash(3, 3)
            canvas.setStrokeColor(colors.red)
            canvas.circle(center_x, center_y, self.SEAL / 2)
            canvas.restoreState()
            canvas.setFont(self.font, 8)
            canvas.setFillColor(colors.red)
            canvas.drawCentredString(center_x, center_y - 3, self.labels["seal_here"])
            canvas.setFillColor(colors.black)
            canvas.setFont(self.font, 10.5)
            canvas.drawString(x, 14 * mm, "%s：________________" % self.labels["signatory"])
            canvas.drawString(x, 5 * mm, "%s：______年____月____日" % self.labels["date"])
            absolute_x, absolute_y = canvas.absolutePosition(center_x, center_y)
            self.positions.append({
                "party": name,
                "page": canvas.getPageNumber(),
                "x_mm": round((absolute_x - self.SEAL / 2) / mm, 1),
                "y_mm": round((absolute_y - self.SEAL / 2) / mm, 1),
                "size_mm": round(self.SEAL / mm, 1),
            })


# ---------------------------------------------------------------------- document


def _numbered_canvas(font, header, footer):
    class NumberedCanvas(rl_canvas.Canvas):
        """Keeps every page until the end, so that each shows the total page count."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            width, height = self._pagesize
            for page in self._pages:
                self.__dict__.update(page)
                self.setFont(font, 8.5)
                self.setFillColor(colors.grey)
                if header:
                    self.drawString(20 * mm, height - 12 * mm, header)
                    self.setStrokeColor(colors.lightgrey)
                    self.line(20 * mm, height - 13.5 * mm, width - 20 * mm, height - 13.5 * mm)
                prefix = footer + "  " if footer else ""
                self.drawCentredString(
                    width / 2, 10 * mm, "%s第 %d 页 共 %d 页" % (prefix, self._pageNumber, total)
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def drawing_texts(drawing):
    """Every string a reportlab drawing will print (to put its characters in the font)."""
    texts = []
    for item in getattr(drawing, "contents", []):
        if isinstance(item, String):
            texts.append(item.text)
        elif isinstance(item, Group | Drawing):
            texts += drawing_texts(item)
    return texts


class PdfDocument:
    """A document built in order (headings, text, tables, charts, signatures), then laid out
    once its characters are known: ``build()`` returns the PDF bytes.

    Each block is kept as a function of the font name, because the embedded font is made
    from all the characters of the document.
    """

    STYLES = {
        "title": {"size": 17, "align": "center", "space_after": 8},
        "h2": {"size": 13, "space_after": 4},
        "h3": {"size": 11.5, "space_after": 3},
        "body": {"size": 10.5},
        "small": {"size": 9, "space_after": 2},
        "li": {"size": 10.5},
    }

    def __init__(self, title, header="", footer="", pagesize=A4):
        self.title = title
        self.header = header
        self.footer = footer
        self.pagesize = pagesize
        self.blocks = []
        self.texts = [title, header, footer]
        self.seal_positions = []
        # index in ``blocks`` of the last paragraph or table (the spacers after it follow it)
        self._last_content = None

    def text(self, text, style="body"):
        text = str(text or "")
        self.texts.append(text)
        options = self.STYLES[style]
        self._last_content = len(self.blocks)
        self.blocks.append(lambda font: CJKText(text, font, **options))
        return self

    def spacer(self, height_mm=3):
        self.blocks.append(lambda font: Spacer(1, height_mm * mm))
        return self

    def page_break(self):
        self.blocks.append(lambda font: PageBreak())
        return self

    def table(self, rows, col_widths_mm=None, header_rows=1, size=9, align_right_from=None):
        """``rows`` of strings; columns from ``align_right_from`` on are right-aligned
        (amounts). Cells break lines like paragraphs."""
        rows = [[str(cell if cell is not None else "") for cell in row] for row in rows]
        for row in rows:
            self.texts += row

        def make(font):
            cells = [
                [CJKText(cell, font, size=size, space_after=0,
                         align="right" if align_right_from is not None
                         and column >= align_right_from and number >= header_rows else "left")
                 for column, cell in enumerate(row)]
                for number, row in enumerate(rows)
            ]
            widths = [w * mm for w in col_widths_mm] if col_widths_mm else None
            table = Table(cells, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EEF2F7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]))
            return table

        self._last_content = len(self.blocks)
        self.blocks.append(make)
        self.blocks.append(lambda font: Spacer(1, 3 * mm))
        return self

    def chart(self, make_drawing, texts):
        """``make_drawing(font)`` returns a reportlab Drawing; ``texts`` are its labels."""
        self.texts += list(texts)
        self.blocks.append(make_drawing)
        return self

    def signature_block(self, parties, labels):
        """``parties``: (role, name) pairs; ``labels``: seal, seal_here, signatory, date.

        The block is kept on one page with the last paragraph (or table) before it: a page
        holding seals and nothing of the text they sign could be swapped for another.
        """
        for role, name in parties:
            self.texts += [role, name]
        self.texts += list(labels.values()) + ["（）：_年月日"]
        tail = []
        if self._last_content is not None:
            tail = self.blocks[self._last_content:]
            del self.blocks[self._last_content:]
        self.blocks.append(lambda font: KeepTogether([block(font) for block in tail] + [
            Spacer(1, 8 * mm), SignatureBlock(parties, font, labels, self.seal_positions),
        ]))
        self._last_content = None
        return self

    def build(self):
        font = embedded_font("".join(self.texts))
        story = [block(font) for block in self.blocks]
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=20 * mm, rightMargin=20 * mm,
            topMargin=20 * mm, bottomMargin=20 * mm, title=self.title,
        )
        self.seal_positions.clear()
        document.build(story, canvasmaker=_numbered_canvas(font, self.header, self.footer))
        return buffer.getvalue()
