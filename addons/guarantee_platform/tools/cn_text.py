"""Chinese text as documents, sheets and scans give it: pure functions, no ORM.

Full-width characters and every kind of space are cleaned (NFKC), dates are read in the forms
Chinese papers use (2023年5月1日, 2023-05-01, 2023/5/1, 2023.5.1) and written back the Chinese
way, and numbers written in Chinese characters (伍佰万元整, 1000万) are read as yuan.
"""

import datetime
import re
import unicodedata

import cn2an

# A date of year, month and day with 年月日, dots, slashes or dashes between them.
DATE_PATTERN = r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})"
_DATE_IN_TEXT = re.compile(DATE_PATTERN)
_CN_AMOUNT = re.compile(
    r"([0-9.,]+|[零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟两]+)(万|亿)?元?"
)


def clean_text(value):
    """Full-width characters to half-width (NFKC), every kind of space removed ('' for None)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text)


def cn_date(value):
    """``value`` (a date) as 2026年1月1日; empty for no date."""
    if not value:
        return ""
    return "%d年%d月%d日" % (value.year, value.month, value.day)


def find_date(text):
    """The first date written in ``text`` (成立日期2015年03月20日 → 2015-03-20); None when there
    is none or it is not a real day."""
    match = _DATE_IN_TEXT.search(text or "")
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_cn_amount(text):
    """An amount in yuan written with Chinese or Arabic numerals and 万/亿: '伍佰万元整',
    '500万元人民币', '1000万', '(1,234.5元)'. None when it cannot be read."""
    text = (text or "").replace("人民币", "").replace("整", "").replace("(", "").replace(")", "")
    match = _CN_AMOUNT.match(text)
    if not match:
        return None
    number, unit = match.group(1).replace(",", ""), match.group(2) or ""
    try:
        return float(cn2an.cn2an(number + unit, "smart"))
    except (ValueError, KeyError):
        return None
