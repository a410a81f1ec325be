"""Financial ratios of a customer's statements and their flags against industry benchmarks:
pure functions, no ORM.

Amounts arrive as ``{item code: amount}`` in yuan, the codes of the item catalogue
(``guarantee.financial.item``). A ratio whose denominator is zero, negative where that makes
it meaningless, or missing is ``None``: it is shown as "—", never as 0 or infinity.

Turnovers use the average balance of the period (opening + closing) / 2 and a 360-day year,
as the banking regulator's working-capital method does: receivables and advances received
turn on revenue, inventory, prepayments and payables on the cost of sales.
"""

# Item codes the arithmetic reads (the catalogue has more).
CASH = "cash"
RECEIVABLES = "notes_accounts_receivable"
PREPAYMENTS = "prepayments"
INVENTORY = "inventory"
CURRENT_ASSETS = "current_assets"
TOTAL_ASSETS = "total_assets"
SHORT_TERM_LOANS = "short_term_loans"
PAYABLES = "notes_accounts_payable"
ADVANCES = "advances_received"
CURRENT_LIABILITIES = "current_liabilities"
TOTAL_LIABILITIES = "total_liabilities"
EQUITY = "equity"
REVENUE = "revenue"
COST_OF_SALES = "cost_of_sales"
FINANCIAL_EXPENSES = "financial_expenses"
INTEREST_EXPENSE = "interest_expense"
TOTAL_PROFIT = "total_profit"
NET_PROFIT = "net_profit"
CFO_NET = "cfo_net"
NET_CHANGE_CASH = "net_change_cash"
CASH_BEGIN = "cash_begin"
CASH_END = "cash_end"

DAYS_IN_YEAR = 360

# code, label, unit, whether a higher value is better. 资产负债率 = 负债合计 / 资产总计;
# 流动比率 = 流动资产 / 流动负债; 速动比率 = (流动资产 − 存货) / 流动负债; 利息保障倍数 =
# (利润总额 + 利息费用) / 利息费用; 销售利润率 = 利润总额 / 营业收入 (as in the working-capital
# measurement); 净资产收益率 = 净利润 / 平均所有者权益; 营业收入增长率 = (本期 − 上期) / |上期|;
# 经营现金流/流动负债 = 经营活动现金流量净额 / 流动负债合计.
RATIOS = [
    ("debt_ratio", "Debt-to-Assets Ratio", "%", False),
    ("current_ratio", "Current Ratio", "x", True),
    ("quick_ratio", "Quick Ratio", "x", True),
    ("interest_coverage", "Interest Coverage", "x", True),
    ("receivable_days", "Receivable Days", "d", False),
    ("inventory_days", "Inventory Days", "d", False),
    ("payable_days", "Payable Days", "d", True),
    ("profit_margin", "Profit Margin", "%", True),
    ("roe", "Return on Equity", "%", True),
    ("revenue_growth", "Revenue Growth", "%", True),
    ("cfo_to_current_liabilities", "Operating Cash Flow / Current Liabilities", "x", True),
]
RATIO_CODES = [code for code, _label, _unit, _higher in RATIOS]
HIGHER_IS_BETTER = {code: higher for code, _label, _unit, higher in RATIOS}
UNITS = {code: unit for code, _label, unit, _higher in RATIOS}


def divide(numerator, denominator):
    """numerator / denominator, or None when the denominator is zero or missing."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def average_balance(code, closing, opening=None):
    """(opening + closing) / 2 of an item; the closing balance alone when no opening is
    known (the first statement of a customer without its opening column)."""
    end = closing.get(code, 0.0)
    if opening is None:
        return end
    return (opening.get(code, 0.0) + end) / 2


def turnover_days(average, flow, period_days=DAYS_IN_YEAR):
    """Days a balance takes to turn over: period days / (flow / average balance), i.e.
    period days × average / flow. None when the flow is zero or negative."""
    if flow is None or flow <= 0:
        return None
    return period_days * average / flow


def turnover_inputs(closing, opening=None, period_days=DAYS_IN_YEAR):
    """Average balances and turnover days of the five working-capital items."""
    revenue = closing.get(REVENUE, 0.0)
    cost = closing.get(COST_OF_SALES, 0.0)
    averages = {
        "receivable": average_balance(RECEIVABLES, closing, opening),
        "inventory": average_balance(INVENTORY, closing, opening),
        "payable": average_balance(PAYABLES, closing, opening),
        "prepayment": average_balance(PREPAYMENTS, closing, opening),
        "advance": average_balance(ADVANCES, closing, opening),
    }
    flows = {"receivable": revenue, "advance": revenue, "inventory": cost, "payable": cost,
             "prepayment": cost}
    days = {key: turnover_days(averages[key], flows[key], period_days) for key in averages}
    return averages, days


def interest_of(values):
    """利息费用 when the statement gives it, else 财务费用 when positive, else None."""
    interest = values.get(INTEREST_EXPENSE, 0.0)
    if interest > 0:
        return interest
    expenses = values.get(FINANCIAL_EXPENSES, 0.0)
    return expenses if expenses > 0 else None


def compute_ratios(closing, opening=None, previous=None, period_days=DAYS_IN_YEAR):
    """{ratio code: value or None} of one period.

    ``closing``: the period's amounts; ``opening``: the opening balances (the statement's own
    column, else the previous period's closing), used for averages; ``previous``: the previous
    period's amounts when it is as long as this one (for growth), else None.
    """
    get = closing.get
    current_liabilities = get(CURRENT_LIABILITIES, 0.0)
    revenue = get(REVENUE, 0.0)
    interest = interest_of(closing)
    _averages, days = turnover_inputs(closing, opening, period_days)
    equity_average = average_balance(EQUITY, closing, opening)
    previous_revenue = previous.get(REVENUE, 0.0) if previous else 0.0
    ratios = {
        "debt_ratio": _pct(divide(get(TOTAL_LIABILITIES, 0.0), get(TOTAL_ASSETS, 0.0))),
        "current_ratio": divide(get(CURRENT_ASSETS, 0.0), current_liabilities),
        "quick_ratio": divide(
            get(CURRENT_ASSETS, 0.0) - get(INVENTORY, 0.0), current_liabilities
        ),
        "interest_coverage": (
            divide(get(TOTAL_PROFIT, 0.0) + interest, interest) if interest else None
        ),
        "receivable_days": days["receivable"],
        "inventory_days": days["inventory"],
        "payable_days": days["payable"],
        "profit_margin": _pct(divide(get(TOTAL_PROFIT, 0.0), revenue)) if revenue > 0 else None,
        "roe": (
            _pct(divide(get(NET_PROFIT, 0.0), equity_average)) if equity_average > 0 else None
        ),
        "revenue_growth": (
            _pct(divide(revenue - previous_revenue, abs(previous_revenue)))
            if previous_revenue else None
        ),
        "cfo_to_current_liabilities": divide(get(CFO_NET, 0.0), current_liabilities),
    }
    return ratios


def _pct(value):
    return None if value is None else value * 100


def flag(code, value, average, poor):
    """'good' at or better than the industry average, 'weak' between the average and the poor
    value, 'poor' at or worse than the poor value; None without a value or benchmark."""
    if value is None or average is None:
        return None
    sign = 1 if HIGHER_IS_BETTER[code] else -1
    if sign * (value - average) >= 0:
        return "good"
    if poor is not None and sign * (value - poor) <= 0:
        return "poor"
    return "weak"


def trend(value, previous_value):
    """'up', 'down' or 'flat' (within 0.5% of the previous value); None without both."""
    if value is None or previous_value is None:
        return None
    if abs(value - previous_value) <= 0.005 * max(abs(previous_value), 1e-9):
        return "flat"
    return "up" if value > previous_value else "down"
