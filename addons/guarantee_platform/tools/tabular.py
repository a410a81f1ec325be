"""Reading the tables people bring (ledgers, financial statements, training data): pure
functions, no ORM.

Cells: full-width characters and spaces are cleaned, amounts read with their unit (元, 万元,
亿元), dates in the forms Chinese sheets use, 是/否, usual headers recognised, and merged cells
read as the value they show (``read_sheets``). Files: ``read_table`` gives the rows of a CSV
(UTF-8 or GB18030) or of an XLSX's first sheet as dicts of strings keyed by the first row, so
that files of both kinds read alike. Every XLSX is opened by ``read_sheets``.
"""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from .cn_text import DATE_PATTERN, clean_text

YES = ("是", "y", "yes", "true", "1", "√")
NO = ("否", "n", "no", "false", "0", "×", "")
UNITS = (("亿元", Decimal(100000000)), ("亿", Decimal(100000000)), ("万元", Decimal(10000)),
         ("万", Decimal(10000)), ("元", Decimal(1)))
EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_RE = re.compile("^" + DATE_PATTERN + r"\s*日?$")


class CellError(ValueError):
    """A cell that cannot be read; its message is the reason shown in the report."""


def header_key(header):
    """The header without spaces, full-width forms or its unit in brackets, lower-cased."""
    text = clean_text(header)
    return re.sub(r"\(.*?\)", "", text).lower()


def header_unit(header):
    """The amount unit a header declares, e.g. 担保金额(万元) → 10000 (1 when none)."""
    text = clean_text(header)
    for unit, factor in UNITS:
        if "(%s)" % unit in text or text.endswith(unit):
            return factor
    return Decimal(1)


def recognise_headers(headers, header_aliases):
    """{header: target} for the headers whose name is a usual one (``header_aliases``:
    {target: (usual names…)}); others are left out."""
    aliases = {alias.lower(): target
               for target, names in header_aliases.items()
               for alias in names}
    found = {}
    for header in headers:
        target = aliases.get(header_key(header))
        if target and target not in found.values():
            found[header] = target
    return found


def parse_amount(value, unit=Decimal(1)):
    """An amount in yuan from 500, '500万', '1.2亿元', '1,234.50元', '５００' (× the column unit
    when the cell has none). None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = clean_text(value).replace(",", "").replace("¥", "").replace("￥", "")
        if not text:
            return None
        for suffix, factor in UNITS:
            if text.endswith(suffix):
                text, unit = text[: -len(suffix)], factor
                break
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise CellError("not a number") from error
    return float((number * unit).quantize(Decimal("0.01")))


def parse_number(value):
    """A plain number (rates, months); '1.5%' gives 1.5. None for an empty cell."""
    if value is None or value == "":
        return None
    return parse_amount(clean_text(value).rstrip("%") if isinstance(value, str) else value)


def parse_date(value):
    """A date from a date cell, an Excel serial number, '2023年5月1日', '2023-05-01',
    '2023/5/1', '2023.5.1' or '20230501'. None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise CellError("not a date")
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = clean_text(value)
    if re.fullmatch(r"\d{8}", text):
        text = "%s-%s-%s" % (text[:4], text[4:6], text[6:])
    elif re.fullmatch(r"\d{5}(\.0)?", text):
        return parse_date(float(text))
    match = _DATE_RE.match(text)
    if not match:
        raise CellError("not a date")
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise CellError("not a date") from error


def parse_bool(value):
    """是/否 (and yes/no, 1/0, √/×) to True/False."""
    text = clean_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("not 是 or 否")


def parse_choice(value, choices):
    """A selection key from its Chinese label (or the key itself). None for an empty cell."""
    text = clean_text(value)
    if not text:
        return None
    if text in choices:
        return choices[text]
    if text.lower() in choices.values():
        return text.lower()
    raise CellError("unknown value")


def open_workbook(content, read_only=False):
    """The openpyxl workbook of an .xlsx given as bytes (values, not formulas); read-only
    streams the rows of a large file but knows no merged cells. Raises CellError when the file
    is not a workbook. The caller closes it."""
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=read_only, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise CellError("not an Excel workbook") from error


def sheet_rows(sheet):
    """The rows of a worksheet, each a list of cell values; in a workbook not opened read-only
    a merged range gives its value to every cell it covers (a header merged over two rows or
    columns reads in each of them)."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    merged_ranges = sheet.merged_cells.ranges if hasattr(sheet, "merged_cells") else ()
    for merged in merged_ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                if row <= len(rows) and col <= len(rows[row - 1]):
                    rows[row - 1][col - 1] = value
    return rows


def read_sheets(content):
    """[(sheet title, rows)] of an .xlsx given as bytes, rows as ``sheet_rows`` gives them
    (merged cells spread). Raises CellError when the file is not a workbook."""
    book = open_workbook(content)
    try:
        return [(sheet.title, sheet_rows(sheet)) for sheet in book.worksheets]
    finally:
        book.close()


class TableError(ValueError):
    """The file cannot be read; ``code`` says why (the caller translates)."""

    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def read_table(content, filename=""):
    """Rows of a CSV or XLSX file given as bytes, first row = headers: a list of
    {header: cell as a CSV would write it}, empty rows left out."""
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("encoding")
    try:
        return [
            {key.strip(): value for key, value in row.items() if key}
            for row in csv.DictReader(io.StringIO(text))
        ]
    except csv.Error as error:
        raise TableError("csv", str(error)) from error


def _read_xlsx(content):
    try:
        book = open_workbook(content, read_only=True)
    except CellError as error:
        raise TableError("xlsx", str(error.__cause__)) from error
    try:
        lines = iter(sheet_rows(book.worksheets[0]))
    finally:
        book.close()
    headers = [str(h).strip() if h is not None else "" for h in next(lines, ())]
    return [
        {header: _csv_cell(value) for header, value in zip(headers, line, strict=False) if header}
        for line in lines
        if any(value is not None for value in line)
    ]


def _csv_cell(value):
    """An XLSX cell as a CSV would give it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
