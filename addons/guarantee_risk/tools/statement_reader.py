"""Reading a customer's financial statements from a workbook or from the text of a scanned
page: pure functions, no ORM.

Workbooks come in many layouts: a title and 编制单位/单位 rows above the header, headers merged
over two rows (金额 over 期末余额 | 年初余额), the balance sheet's two halves side by side
(资产 … | 负债和所有者权益 …), the income statement below the balance sheet on the same sheet,
amounts in 元 or 万元, opening before closing, or one column per year (项目 | 2023年 | 2024年 |
2025年). The columns are recognised by their usual headers (or by the roles a user gave the
headers of a source once), the lines by the item names of both accounting standards (or by the
names a user mapped once). Cells are read by guarantee_platform's tabular.

A read gives ``{"unit", "periods", "unknown", "headers", "signature"}``: ``periods`` maps a
period end (a date, or None when the columns are 期末/年初) to ``{"closing": {code: amount},
"opening": {code: amount}}`` in yuan; ``unknown`` lists the lines whose name is not known, with
their amount; ``headers`` the header cells found; ``signature`` identifies the layout, so that a
source's mapping is reused when the same layout comes again.
"""

import datetime
import hashlib
import re
from decimal import Decimal

from odoo.addons.guarantee_platform.tools.tabular import (
    CellError,
    clean_text,
    header_key,
    parse_amount,
)

ROLES = ("label", "closing", "opening", "line_no", "ignore")
COLUMN_ALIASES = {
    "label": ("项目", "资产", "负债和所有者权益", "负债和股东权益", "负债及所有者权益",
              "负债及股东权益", "科目", "科目名称", "报表项目", "项目名称"),
    "closing": ("期末余额", "期末数", "期末金额", "年末余额", "年末数", "本期金额", "本期数",
                "本年金额", "本年数", "本年累计金额", "本年累计数", "本期发生额", "本年发生额"),
    "opening": ("年初余额", "年初数", "期初余额", "期初数", "上年年末余额", "上年期末余额",
                "上期金额", "上期数", "上年金额", "上年数", "上年同期金额", "上年同期数",
                "上年累计金额", "上年累计数", "上期发生额", "上年发生额"),
    "line_no": ("行次", "行号", "序号", "栏次"),
}
UNIT_FACTORS = (("亿元", Decimal(100000000)), ("万元", Decimal(10000)), ("千元", Decimal(1000)),
                ("元", Decimal(1)))
_HEADER_ROWS = 25
_UNIT_DECLARED = re.compile(r"单位:?(?:人民币)?(亿元|万元|千元|元)")
_UNIT_BRACKETED = re.compile(r"\((亿元|万元|千元|元)\)")
_YEAR = re.compile(r"^(\d{4})(?:年度?|年末|年报)?$")
_DATE = re.compile(r"^(\d{4})[年./-](\d{1,2})[月./-](\d{1,2})日?$")
_LABEL_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\(?[一二三四五六七八九十\d]+\)|\d+[、.．]|加:|减:|其中:|:)+"
)
_NUMBER = re.compile(r"^\(?-?[\d,]+(?:\.\d+)?\)?$")
_TRAILING_NUMBER = re.compile(r"^(.*?[^\d,.\-(])\s*(\(?-?[\d,]+(?:\.\d+)?\)?)$")


def label_key(text):
    """An item name as the catalogue knows it: without numbering (一、 (一) 1.), 加：/减：/其中：,
    brackets (（或股本）, （损失以“-”号填列）), spaces and full-width forms."""
    key = header_key(text)
    previous = None
    while key != previous:
        previous = key
        key = _LABEL_PREFIX.sub("", key)
    return key.rstrip(":")


def column_role(header, saved_roles=None):
    """The role of a header cell: label, closing, opening, line_no, a period end (date) for a
    year column, or None. A role saved for the source wins."""
    key = header_key(header)
    if not key:
        return None
    if saved_roles and key in saved_roles:
        role = saved_roles[key]
        return _period_end(role[5:]) if role.startswith("year:") else role
    for role, aliases in COLUMN_ALIASES.items():
        if key in aliases:
            return role
    return _period_end(key)


def _period_end(text):
    """The period end a year column names: 2025 / 2025年 / 2025年度 → 31 Dec; a date as is."""
    text = clean_text(text)
    match = _YEAR.match(text)
    if match and 1990 <= int(match.group(1)) <= 2100:
        return datetime.date(int(match.group(1)), 12, 31)
    match = _DATE.match(text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None


def parse_statement_amount(value, unit=Decimal(1)):
    """An amount of a statement cell in yuan: '-' and '—' are empty, (1,234.00) is negative."""
    if isinstance(value, str):
        text = clean_text(value)
        if text in ("", "-", "—", "--", "/", "－"):
            return None
        if text.startswith("(") and text.endswith(")"):
            inner = parse_amount(text[1:-1], unit)
            return None if inner is None else -inner
        return parse_amount(text, unit)
    return parse_amount(value, unit)


def text_unit(text):
    """The unit a cell declares: 单位：万元, 金额单位：人民币元, 期末余额(万元); None if none."""
    text = clean_text(text)
    match = _UNIT_DECLARED.search(text) or _UNIT_BRACKETED.search(text)
    return dict(UNIT_FACTORS)[match.group(1)] if match else None


def sheet_unit(rows, header_index):
    """The unit the sheet declares above or in its header rows."""
    for row in rows[: header_index + 1]:
        for cell in row:
            unit = text_unit(cell)
            if unit:
                return unit
    return None


def _row_roles(row, saved_roles):
    """{column: role} of a row's text cells; in a row that has a label column, a year as a
    number (2025) or a date cell also names a period."""
    roles = {index: column_role(cell, saved_roles) for index, cell in enumerate(row)
             if isinstance(cell, str) and cell.strip()}
    if "label" in roles.values():
        for index, cell in enumerate(row):
            if isinstance(cell, datetime.datetime):
                roles[index] = cell.date()
            elif isinstance(cell, datetime.date):
                roles[index] = cell
            elif isinstance(cell, int) and not isinstance(cell, bool) and 1990 <= cell <= 2100:
                roles[index] = datetime.date(cell, 12, 31)
    return roles


def _is_header(roles):
    values = [role for role in roles.values() if role]
    has_amount = any(role in ("closing", "opening") or isinstance(role, datetime.date)
                     for role in values)
    return "label" in values and has_amount


def _groups(roles):
    """[(label column, {role: column})]: each amount column belongs to the label column on its
    side (left, or right when the sheet puts the amounts first)."""
    labels = sorted(col for col, role in roles.items() if role == "label")
    amounts = sorted(col for col, role in roles.items()
                     if role in ("closing", "opening") or isinstance(role, datetime.date))
    if not labels or not amounts:
        return []
    amounts_first = amounts[0] < labels[0]
    groups = {label: {} for label in labels}
    for col in amounts:
        if amounts_first:
            owner = min((label for label in labels if label > col), default=labels[-1])
        else:
            owner = max((label for label in labels if label < col), default=labels[0])
        groups[owner].setdefault(roles[col], col)
    return [(label, columns) for label, columns in groups.items() if columns]


def _shown(amounts):
    """The amount shown for a line that is not recognised: its closing one, else any."""
    return amounts.get("closing") or next((a for a in amounts.values() if a), 0.0)


def _add(periods, period, column, code, amount):
    bucket = periods.setdefault(period, {"closing": {}, "opening": {}})[column]
    bucket[code] = bucket.get(code, 0.0) + amount


def read_rows(sheets, resolve, saved_roles=None, unit=None):
    """Read ``sheets`` ([(title, rows)], rows as tabular.read_sheets gives them).

    ``resolve(label key)`` returns an item code or None; ``saved_roles`` maps header keys to
    roles (a source's mapping); ``unit`` overrides the unit the sheets declare.
    """
    periods, unknown, headers = {}, [], []
    found_unit = None
    for title, rows in sheets:
        groups = []
        for index, row in enumerate(rows):
            roles = _row_roles(row, saved_roles)
            if _is_header(roles):
                groups = _groups(roles)
                headers += [clean_text(row[col]) for col in sorted(roles)]
                found_unit = found_unit or sheet_unit(rows, index)
                continue
            if not groups:
                continue
            factor = unit or found_unit or Decimal(1)
            _read_line(title, index + 1, row, groups, resolve, factor, periods, unknown)
    return {
        "unit": unit or found_unit or Decimal(1),
        "periods": periods,
        "unknown": unknown,
        "headers": headers,
        "signature": layout_signature(sheets),
    }


def _read_line(title, row_number, row, groups, resolve, factor, periods, unknown):
    for label_col, columns in groups:
        label = row[label_col] if label_col < len(row) else None
        key = label_key(label)
        if not key:
            continue
        amounts = {}
        for role, col in columns.items():
            try:
                amounts[role] = parse_statement_amount(row[col] if col < len(row) else None,
                                                       factor)
            except CellError:
                amounts[role] = None
        code = resolve(key)
        if not code:
            if any(amounts.values()):
                unknown.append((title, row_number, clean_text(label), _shown(amounts)))
            continue
        for role, amount in amounts.items():
            if amount is None:
                continue
            if isinstance(role, datetime.date):
                _add(periods, role, "closing", code, amount)
            else:
                _add(periods, None, role, code, amount)


def candidate_header(sheets):
    """The text cells of the row that looks most like a header although its amount columns
    were not recognised: among the first rows with a label column (项目, 资产…), the one with
    the most distinct cells, the lower one of headers merged over two rows. What a user maps
    once."""
    best = []
    for _title, rows in sheets:
        for row in rows[:_HEADER_ROWS]:
            roles = _row_roles(row, None)
            if "label" not in roles.values():
                continue
            cells = list(dict.fromkeys(
                clean_text(cell) for cell in row if isinstance(cell, str) and cell.strip()
            ))
            if len(cells) >= max(len(best), 2):
                best = cells
        if best:
            return best
    return best


def layout_signature(sheets):
    """A short fingerprint of the header rows (rows with a 项目/资产… cell), digits left out:
    the same layout gives the same signature next year, whatever its figures and dates."""
    parts = []
    for _title, rows in sheets:
        for row in rows:
            if "label" in _row_roles(row, None).values():
                parts.append("|".join(re.sub(r"\d+", "#", header_key(cell)) for cell in row))
    if not parts:
        return ""
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------- scanned pages


def _center(box):
    xs = [point[0] for point in box]
    ys = [point[1] for point in box]
    return sum(xs) / len(xs), sum(ys) / len(ys), max(ys) - min(ys)


def ocr_rows(boxes):
    """OCR boxes [(box, text, score)] grouped into lines of the page, top to bottom, each a
    list of (x centre, text) left to right."""
    items = sorted((_center(box) + (clean_text(text),) for box, text, _score in boxes),
                   key=lambda item: item[1])
    heights = sorted(item[2] for item in items) or [10]
    tolerance = heights[len(heights) // 2] * 0.6
    rows, current, current_y = [], [], None
    for x, y, _height, text in items:
        if current and abs(y - current_y) > tolerance:
            rows.append(sorted(current))
            current = []
        current.append((x, text))
        current_y = y if len(current) == 1 else (current_y * (len(current) - 1) + y) / len(current)
    if current:
        rows.append(sorted(current))
    return rows


def _split_number(text):
    """('货币资金', '600.00') for a box that holds a name and its amount."""
    match = _TRAILING_NUMBER.match(text)
    return (match.group(1), match.group(2)) if match else (text, None)


def read_ocr(boxes, resolve, unit=None):
    """Read a scanned statement from its OCR boxes: the header line gives the x position of
    each amount column (期末/年初, 本期/上期, 行次), every other line a name and its amounts,
    each amount in the column whose header is nearest."""
    rows = ocr_rows(boxes)
    columns, periods, unknown, found_unit = [], {}, [], None
    for number, row in enumerate(rows, start=1):
        for _x, text in row:
            found_unit = found_unit or text_unit(text)
        roles = [(x, column_role(text)) for x, text in row]
        if any(role in ("closing", "opening") for _x, role in roles):
            columns = [(x, role) for x, role in roles if role in ("closing", "opening", "line_no")]
            continue
        _read_ocr_line(number, row, columns, resolve, unit or found_unit or Decimal(1),
                       periods, unknown)
    return {"unit": unit or found_unit or Decimal(1), "periods": periods, "unknown": unknown,
            "headers": [], "signature": ""}


def _read_ocr_line(number, row, columns, resolve, factor, periods, unknown):
    segments, current = [], None
    for x, text in row:
        if _NUMBER.match(text.replace(" ", "")):
            if current is not None:
                current[1].append((x, text))
            continue
        name, amount = _split_number(text)
        current = [name, []]
        segments.append(current)
        if amount:
            current[1].append((None, amount))
    for name, numbers in segments:
        key = label_key(name)
        if not key or not numbers:
            continue
        amounts = _ocr_amounts(numbers, columns, factor)
        code = resolve(key)
        if not code:
            if any(amounts.values()):
                unknown.append(("OCR", number, name, _shown(amounts)))
            continue
        for role, amount in amounts.items():
            if amount is not None:
                _add(periods, None, role, code, amount)


def _ocr_amounts(numbers, columns, factor):
    """{closing/opening: amount} of a line's numbers: each in the header column nearest to it,
    or in the order closing, opening when the page has no header line or the number was read
    in the same box as the name."""
    amounts = {}
    for x, text in numbers:
        if columns and x is not None:
            role = min(columns, key=lambda column, x=x: abs(column[0] - x))[1]
        else:
            role = next((r for r in ("closing", "opening") if r not in amounts), None)
        if role in ("closing", "opening") and role not in amounts:
            try:
                amounts[role] = parse_statement_amount(text, factor)
            except CellError:
                amounts[role] = None
    return amounts
