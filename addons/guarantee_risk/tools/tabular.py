"""Reading training data: CSV (UTF-8 or GB18030) or XLSX, first row = headers. Rows come out
as dicts of strings (numbers as a CSV would write them), so files of both kinds score alike."""

import csv
import io

import openpyxl


class TableError(ValueError):
    """The file cannot be read; ``code`` says why (the caller translates)."""

    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def read_table(content, filename=""):
    """Rows of a CSV or XLSX file given as bytes."""
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
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise TableError("xlsx", str(error)) from error
    try:
        lines = book.worksheets[0].iter_rows(values_only=True)
        headers = [str(h).strip() if h is not None else "" for h in next(lines, ())]
        return [
            {header: _cell(value) for header, value in zip(headers, line, strict=False) if header}
            for line in lines
            if any(value is not None for value in line)
        ]
    finally:
        book.close()


def _cell(value):
    """An XLSX cell as a CSV would give it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
