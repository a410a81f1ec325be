"""Checks of a customer's financial statements before anyone relies on them: pure functions,
no ORM.

A statement arrives as ``{item code: amount}`` (yuan); the catalogue of items as a list of
dicts ``{"code", "parent", "sign", "subtotal", "positive", "statement"}``: ``parent`` is the
subtotal the item adds into with ``sign`` (+1, or −1 for 减：lines), ``subtotal`` says the item
is the sum of its lines (a parent that is not a subtotal only groups 其中 lines), ``positive``
that a negative amount is wrong, ``statement`` one of balance / income / cash_flow.

A subtotal left empty (0) is computed from its lines (``normalise``); a subtotal entered must
equal its lines. Every failure is a dict naming the check, the item, the amount found, the
amount expected and the difference, for the model to word.
"""

from .financial_ratios import (
    CASH,
    CASH_BEGIN,
    CASH_END,
    EQUITY,
    NET_CHANGE_CASH,
    TOTAL_ASSETS,
    TOTAL_LIABILITIES,
)

CHECKS = ("balance", "subtotal", "cash_roll", "cash_balance", "continuity", "sign")


def _children(items):
    children = {}
    for item in items:
        if item.get("parent"):
            children.setdefault(item["parent"], []).append(item)
    return children


def _depth_order(items):
    """Subtotal codes, deepest first, so that a subtotal of subtotals sees its lines done."""
    by_code = {item["code"]: item for item in items}

    def depth(code):
        level = 0
        while by_code.get(code, {}).get("parent"):
            code = by_code[code]["parent"]
            level += 1
        return level

    return sorted((i["code"] for i in items if i.get("subtotal")), key=depth, reverse=True)


def _sum_of_lines(code, values, children):
    return sum(child.get("sign", 1) * values.get(child["code"], 0.0)
               for child in children.get(code, ()))


def normalise(values, items):
    """``values`` with every empty subtotal computed from its lines (bottom-up)."""
    values = dict(values)
    children = _children(items)
    for code in _depth_order(items):
        if not values.get(code) and any(values.get(c["code"]) for c in children.get(code, ())):
            values[code] = _sum_of_lines(code, values, children)
    return values


def _failure(check, item, amount, expected):
    return {
        "check": check,
        "item": item,
        "amount": amount,
        "expected": expected,
        "difference": amount - expected,
    }


def _differs(amount, expected, tolerance):
    return abs(amount - expected) > tolerance + 1e-9


def check_statement(values, items, tolerance=0.01, previous=None, opening=None,
                    compare_flows=True):
    """Every failure of one statement.

    ``values``: the period's amounts (closing balances, flows of the period); ``previous``:
    the amounts of the previous period's statement, if any; ``opening``: the statement's own
    opening column (年初余额 for the balance sheet, 上期金额 for income and cash flows), if
    given; ``compare_flows``: whether the previous statement covers a period as long as this
    one (then its flows are the prior-period column too). ``tolerance`` absorbs the rounding
    of the unit the statement was given in.
    """
    children = _children(items)
    normal = normalise(values, items)
    failures = []
    failures += _subtotal_failures(values, normal, items, children, tolerance)
    failures += _balance_failures(normal, tolerance)
    failures += _cash_failures(normal, tolerance, previous, opening)
    failures += _continuity_failures(items, tolerance, previous, opening, compare_flows)
    failures += _sign_failures(values, items)
    return failures


def _subtotal_failures(values, normal, items, children, tolerance):
    failures = []
    for item in items:
        code = item["code"]
        lines = children.get(code, ())
        if not item.get("subtotal") or not values.get(code) or not any(
            values.get(c["code"]) or normal.get(c["code"]) for c in lines
        ):
            continue
        expected = _sum_of_lines(code, normal, children)
        if _differs(values[code], expected, tolerance):
            failures.append(_failure("subtotal", code, values[code], expected))
    return failures


def _balance_failures(normal, tolerance):
    """资产总计 = 负债合计 + 所有者权益合计."""
    assets = normal.get(TOTAL_ASSETS, 0.0)
    if not assets:
        return []
    expected = normal.get(TOTAL_LIABILITIES, 0.0) + normal.get(EQUITY, 0.0)
    if _differs(assets, expected, tolerance):
        return [_failure("balance", TOTAL_ASSETS, assets, expected)]
    return []


def _cash_failures(normal, tolerance, previous, opening):
    """The cash-flow statement rolls its cash forward, and its net change agrees with the
    change of 货币资金 on the balance sheet."""
    failures = []
    change = normal.get(NET_CHANGE_CASH, 0.0)
    begin, end = normal.get(CASH_BEGIN, 0.0), normal.get(CASH_END, 0.0)
    if (begin or end) and _differs(end, begin + change, tolerance):
        failures.append(_failure("cash_roll", CASH_END, end, begin + change))
    cash_opening = None
    if opening and opening.get(CASH):
        cash_opening = opening[CASH]
    elif previous and previous.get(CASH):
        cash_opening = previous[CASH]
    has_cash_flow = change or begin or end
    if has_cash_flow and cash_opening is not None and normal.get(CASH):
        balance_change = normal[CASH] - cash_opening
        if _differs(change, balance_change, tolerance):
            failures.append(_failure("cash_balance", NET_CHANGE_CASH, change, balance_change))
    return failures


def _continuity_failures(items, tolerance, previous, opening, compare_flows):
    """This statement's opening column equals the previous statement's figures: closing
    balances always, the flows when both periods are as long."""
    if not previous or not opening:
        return []
    failures = []
    for item in items:
        code = item["code"]
        if code not in opening or not opening[code]:
            continue
        if item["statement"] != "balance" and not compare_flows:
            continue
        expected = previous.get(code, 0.0)
        if _differs(opening[code], expected, tolerance):
            failures.append(_failure("continuity", code, opening[code], expected))
    return failures


def _sign_failures(values, items):
    return [
        _failure("sign", item["code"], values[item["code"]], 0.0)
        for item in items
        if item.get("positive") and values.get(item["code"], 0.0) < 0
    ]
