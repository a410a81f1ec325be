"""Contract PDF built from the contract's html through the shared PDF pipeline (pdf_pipeline):
the html blocks (headings, paragraphs, list items, tables) become pipeline blocks set in an
embedded Chinese font with Chinese line breaking, every page carries 第 n 页 共 N 页, and the
contract ends with a signature block marking where each party's seal goes.
"""

import re

from lxml import html as lxml_html

from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfDocument

BLOCK_TAGS = {"h1", "h2", "h3", "h4", "p", "li", "table", "div", "blockquote", "pre"}
HEADING_STYLES = {"h1": "title", "h2": "h2", "h3": "h3", "h4": "h3", "li": "li"}
# A template's own signature lines ("甲方（盖章）：…　乙方（签章）：…", "签订日期：…"): the
# PDF prints one signature block of its own instead.
SIGNATURE_LINE = re.compile(
    r"^\s*(?:[甲乙丙丁戊]方|委托人|保证人|债权人|反担保人|担保权人)[^：:]{0,12}"
    r"[（(](?:盖章|签章|签字|签名)[^）)]*[）)]\s*[：:]"
    r"|^\s*(?:签订|签署|签约)日期\s*[：:]"
)


def _text(element):
    return " ".join(element.text_content().split())


def _add_blocks(root, doc):
    """Walk the html and add each block to ``doc``, in document order."""
    for element in root:
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "table":
            rows = [
                [_text(cell) for cell in row
                 if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]
                for row in element.iter("tr")
            ]
            rows = [row for row in rows if row]
            if rows:
                width = max(len(row) for row in rows)
                doc.table([row + [""] * (width - len(row)) for row in rows])
        elif tag in ("ul", "ol", "section", "div", "article", "body") and any(
            isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS | {"ul", "ol"}
            for child in element
        ):
            _add_blocks(element, doc)
        elif tag == "br":
            doc.spacer(2)
        else:
            text = _text(element)
            if text:
                doc.text(text, HEADING_STYLES.get(tag, "body"))


def _drop_repeated_title(root, title):
    """Templates usually open with the contract's title, which the PDF already prints above
    the summary: print it once."""
    first = root
    while True:
        blocks = [child for child in first if isinstance(child.tag, str)]
        if not blocks:
            return
        first = blocks[0]
        if first.tag not in ("div", "section", "article"):
            break
    if first.tag in ("h1", "h2", "h3") and _text(first) == title.strip():
        first.drop_tree()


def _normalized(text):
    return re.sub(r"\s+", "", text).replace(":", "：")


def _drop_repeated_lines(root, summary_lines, drop_signatures):
    """Drop the paragraphs the PDF prints on its own: a line of the summary (the contract
    number) repeated by the template, and the template's signature lines when the PDF adds
    its signature block."""
    summary = {_normalized(line) for line in summary_lines}
    for element in list(root.iter("p", "div")):
        if element.getparent() is None or any(
            isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS for child in element
        ):
            continue
        text = _text(element)
        if _normalized(text) in summary or (drop_signatures and SIGNATURE_LINE.match(text)):
            element.drop_tree()


def build_contract_pdf(title, summary_lines, body_html, footer="", parties=None,
                       signature_labels=None, header=""):
    """Return the PDF bytes of a contract (and, through ``seal_positions`` of the returned
    document, where the seals go: see ``contract_document``)."""
    return contract_document(title, summary_lines, body_html, footer, parties,
                             signature_labels, header).build()


def contract_document(title, summary_lines, body_html, footer="", parties=None,
                      signature_labels=None, header=""):
    """The contract as a ``PdfDocument`` not yet built.

    ``summary_lines`` are printed under the title (number, parties, amount in figures and in
    capitals) so that the key terms appear whatever the template says. ``parties`` are
    (role, name) pairs for the signature block, ``signature_labels`` its captions.
    """
    doc = PdfDocument(title, header=header, footer=footer)
    doc.text(title, "title")
    for line in summary_lines:
        doc.text(line, "small")
    doc.spacer(3)
    root = lxml_html.fragment_fromstring(body_html or "<p></p>", create_parent="div")
    _drop_repeated_title(root, title)
    _drop_repeated_lines(root, summary_lines, drop_signatures=bool(parties))
    _add_blocks(root, doc)
    if parties:
        doc.signature_block(parties, signature_labels)
    return doc
