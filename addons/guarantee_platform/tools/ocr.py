"""Reading business licences (营业执照) and ID cards (居民身份证) from images, and the texts
with their positions (from which a caller can rebuild tables, e.g. scanned statements).

``read_boxes`` runs the OCR (rapidocr-onnxruntime, the PP-OCR models ship in its wheel) and is
the only function that needs the library, imported when first called so the addon installs and
runs without it. The parsers are pure functions of the recognised lines.
"""

import threading

from . import identifiers
from .cn_text import clean_text, find_date, parse_cn_amount

# Below this recognition score a field is shown as uncertain.
MIN_CONFIDENCE = 0.9
INSTALL_HINT = "pip install rapidocr-onnxruntime==1.4.4"

LICENCE_LABELS = {
    "name": ("名称", "企业名称"),
    "uscc": ("统一社会信用代码",),
    "legal_representative": ("法定代表人", "负责人", "经营者", "执行事务合伙人"),
    "registered_capital": ("注册资本",),
    "established_date": ("成立日期", "注册日期"),
    "address": ("住所", "经营场所", "营业场所", "主要经营场所"),
    "business_scope": ("经营范围",),
}
OTHER_LABELS = ("类型", "营业期限", "登记机关", "营业执照")
ID_LABELS = {"name": ("姓名",), "uscc": ("公民身份号码", "身份号码")}
_USCC_RE = identifiers.USCC_PATTERN
_RIC_RE = identifiers.RESIDENT_ID_PATTERN

_engine = None
_engine_lock = threading.Lock()


class OcrUnavailable(Exception):
    """The OCR library is not installed."""


def read_boxes(image_bytes):
    """[(box, text, confidence)] of the texts read in the image, ``box`` its four corners
    [[x, y], …] (tables are rebuilt from the positions)."""
    global _engine  # one engine per process: loading the models takes seconds
    with _engine_lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as error:
                raise OcrUnavailable(INSTALL_HINT) from error
            _engine = RapidOCR()
        result, _elapsed = _engine(image_bytes)
    return [(box, text, float(score)) for box, text, score in (result or [])]


def read_lines(image_bytes):
    """[(text, confidence)] of the lines read in the image, top to bottom."""
    return [(clean_text(text), score) for _box, text, score in read_boxes(image_bytes)]


def _field(lines, labels, stop_labels):
    """(value, confidence) after the first of ``labels`` at the start of a line; the value
    continues on the next lines until a line starts with another label."""
    for index, (text, score) in enumerate(lines):
        for label in labels:
            if text.startswith(label):
                value, scores = text[len(label):].lstrip(":："), [score]
                for following, following_score in lines[index + 1:]:
                    if following.startswith(stop_labels):
                        break
                    value += following
                    scores.append(following_score)
                return value, min(scores)
    return "", 0.0


def parse_licence(lines):
    """{field: (value, confidence, problem)} read off a business licence."""
    all_labels = tuple(label for labels in LICENCE_LABELS.values() for label in labels)
    stop = all_labels + OTHER_LABELS
    fields = {}
    for key, labels in LICENCE_LABELS.items():
        keep_going = stop if key in ("address", "business_scope") else ("",)
        value, score = _field(lines, labels, keep_going)
        fields[key] = [value, score, None if value else "not found"]
    number = fields["uscc"]
    match = _USCC_RE.search(number[0].upper()) or _USCC_RE.search(
        "".join(text for text, _s in lines).upper()
    )
    number[0] = match.group(0) if match else number[0]
    if number[0] and not identifiers.is_valid_uscc(number[0]):
        number[2] = "wrong check character"
    capital = fields["registered_capital"]
    if capital[0]:
        capital[0] = parse_cn_amount(capital[0])
        capital[2] = None if capital[0] else "not understood"
    established = fields["established_date"]
    if established[0]:
        established[0] = find_date(established[0])
        established[2] = None if established[0] else "not understood"
    return {key: tuple(value) for key, value in fields.items()}


def parse_id_card(lines):
    """{field: (value, confidence, problem)} read off the front of an ID card."""
    stop = ("性别", "民族", "出生", "住址", "公民身份号码")
    name = list(_field(lines, ID_LABELS["name"], stop))
    name.append(None if name[0] else "not found")
    text, score = _field(lines, ID_LABELS["uscc"], ("",))
    match = _RIC_RE.search(text.upper())
    if not match:
        for line, line_score in lines:
            match = _RIC_RE.search(line.upper())
            if match:
                score = line_score
                break
    number = match.group(0) if match else ""
    problem = None if number else "not found"
    if number and not identifiers.is_valid_resident_id(number):
        problem = "wrong check digit"
    return {"name": tuple(name), "uscc": (number, score, problem)}
