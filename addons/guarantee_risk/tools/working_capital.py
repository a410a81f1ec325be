"""The credit-line measurement (授信额度测算): pure functions, no ORM.

Working-capital method of the banking regulator's working-capital-loan rules (流动资金贷款管理
暂行办法, appendix):

    营运资金量 = 上年度销售收入 × (1 − 上年度销售利润率) × (1 + 预计销售收入年增长率)
                / 营运资金周转次数
    营运资金周转次数 = 360 / (存货周转天数 + 应收账款周转天数 − 应付账款周转天数
                              + 预付账款周转天数 − 预收账款周转天数)
    新增流动资金贷款额度 = 营运资金量 − 借款人自有资金 − 现有流动资金贷款 − 其他渠道提供的营运资金

with each turnover on the average balance of the year (tools/financial_ratios.py). Other
methods a company configures are a multiple of a base: net assets, sales or the recognised
value of the counter-guarantees.
"""

from .financial_ratios import DAYS_IN_YEAR


class MeasurementError(ValueError):
    """The measurement cannot be made; ``code`` says why (the caller translates)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def cycle_days(days):
    """存货 + 应收 − 应付 + 预付 − 预收 turnover days: how long the cycle ties money up."""
    missing = [key for key in ("inventory", "receivable", "payable", "prepayment", "advance")
               if days.get(key) is None]
    if missing:
        raise MeasurementError("no_turnover", items=missing)
    return (days["inventory"] + days["receivable"] - days["payable"] + days["prepayment"]
            - days["advance"])


def working_capital_need(revenue, profit_margin_pct, growth_pct, days):
    """{cycle_days, turnover, need} of the working-capital method.

    ``profit_margin_pct`` and ``growth_pct`` in percent (a loss is a negative margin, so the
    need grows); ``days``: the five turnover days. A cycle of zero days or less means
    suppliers and customers fund the cycle: no turnover count, no need.
    """
    if revenue is None or revenue <= 0:
        raise MeasurementError("no_revenue")
    cycle = cycle_days(days)
    if cycle <= 0:
        return {"cycle_days": cycle, "turnover": None, "need": 0.0}
    turnover = DAYS_IN_YEAR / cycle
    need = revenue * (1 - profit_margin_pct / 100) * (1 + growth_pct / 100) / turnover
    return {"cycle_days": cycle, "turnover": turnover, "need": need}


def new_working_capital_loan(need, own_funds, existing_loans, other_funds):
    """新增流动资金贷款额度 = 营运资金量 − 自有资金 − 现有流动资金贷款 − 其他渠道营运资金
    (negative: the borrower needs no new working-capital loan)."""
    return need - own_funds - existing_loans - other_funds


def own_funds(current_assets, current_liabilities):
    """借款人自有资金 taken as the borrower's own working capital, 流动资产 − 流动负债 (the
    loans in the current liabilities are counted apart as 现有流动资金贷款), never below 0."""
    return max(current_assets - current_liabilities, 0.0)


def proposed_amount(raw, adjustments):
    """The amount proposed for the credit line: the measurement plus its adjustments, never
    below 0."""
    return max(raw + sum(adjustments), 0.0)


def multiple_of(base, factor):
    """A configured method: ``factor`` × ``base`` (net assets, sales, collateral value)."""
    if base is None or base <= 0:
        raise MeasurementError("no_base")
    return base * factor
