"""Dates written the Chinese way in documents (contracts, letters): 2026年1月1日."""


def cn_date(value):
    """``value`` (a date) as 2026年1月1日; empty for no date."""
    if not value:
        return ""
    return "%d年%d月%d日" % (value.year, value.month, value.day)
