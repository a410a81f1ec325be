"""Cleaning and validation of legacy guarantee ledgers (台账): pure functions, no ORM.

A ledger row arrives as ``{target: raw cell value}`` once its headers are mapped; ``clean_row``
turns it into typed values and a list of ``(target, reason)`` problems. What needs the database
(known products, banks and users) is passed in as plain dictionaries.
"""

from decimal import Decimal

from odoo.addons.guarantee_platform.tools import tabular
from odoo.addons.guarantee_platform.tools.identifiers import check_identifier
from odoo.addons.guarantee_platform.tools.tabular import (  # noqa: F401 (the ledger's API)
    CellError,
    clean_text,
    header_unit,
    parse_amount,
    parse_bool,
    parse_choice,
    parse_date,
    parse_number,
)

# Targets of the ledger columns, in the template's order, with their Chinese header.
COLUMNS = [
    ("legacy_ref", "项目编号"),
    ("partner_name", "客户名称"),
    ("uscc", "统一社会信用代码"),
    ("legal_representative", "法定代表人"),
    ("enterprise_scale", "企业规模"),
    ("is_agricultural", "是否涉农"),
    ("product", "业务品种"),
    ("creditor", "合作银行"),
    ("manager", "客户经理"),
    ("amount", "担保金额(万元)"),
    ("term_months", "期限(月)"),
    ("fee_rate", "担保费率(%)"),
    ("own_share", "自留比例(%)"),
    ("loan_release_date", "放款日"),
    ("date_end", "到期日"),
    ("loan_amount", "放款金额(万元)"),
    ("outstanding", "在保余额(万元)"),
    ("risk_class", "五级分类"),
    ("state", "状态"),
    ("date_released", "解保日"),
    ("compensation_amount", "代偿金额(万元)"),
    ("compensation_date", "代偿日"),
    ("recovery_amount", "追偿金额(万元)"),
    ("recovery_date", "追偿日"),
]
REQUIRED = ("legacy_ref", "partner_name", "uscc", "product", "amount", "state")
AMOUNTS = ("amount", "loan_amount", "outstanding", "compensation_amount", "recovery_amount")
DATES = ("loan_release_date", "date_end", "date_released", "compensation_date", "recovery_date")

# Usual headers of Chinese ledgers (after cleaning and without their unit in brackets).
HEADER_ALIASES = {
    "legacy_ref": ("项目编号", "台账编号", "业务编号", "编号", "项目号", "合同编号"),
    "partner_name": ("客户名称", "企业名称", "借款人", "借款人名称", "被担保人", "申请人"),
    "uscc": ("统一社会信用代码", "信用代码", "身份证号", "身份证号码", "证件号码", "证件号"),
    "legal_representative": ("法定代表人", "法人代表", "法人"),
    "enterprise_scale": ("企业规模", "企业类型", "规模"),
    "is_agricultural": ("是否涉农", "涉农", "是否三农"),
    "product": ("业务品种", "产品", "担保品种", "业务类型", "产品名称"),
    "creditor": ("合作银行", "贷款银行", "债权人", "银行", "债权银行"),
    "manager": ("客户经理", "项目经理", "a角", "经办人"),
    "amount": ("担保金额", "担保额", "合同金额", "授信金额"),
    "term_months": ("期限", "担保期限", "期限月"),
    "fee_rate": ("担保费率", "费率", "年费率"),
    "own_share": ("自留比例", "自担比例", "本公司承担比例"),
    "loan_release_date": ("放款日", "放款日期", "起始日", "起始日期", "开始日期"),
    "date_end": ("到期日", "到期日期", "结束日期"),
    "loan_amount": ("放款金额", "贷款金额", "实际放款金额"),
    "outstanding": ("在保余额", "担保余额", "贷款余额"),
    "risk_class": ("五级分类", "风险分类", "分类"),
    "state": ("状态", "项目状态", "业务状态"),
    "date_released": ("解保日", "解保日期", "解除日期"),
    "compensation_amount": ("代偿金额", "代偿额"),
    "compensation_date": ("代偿日", "代偿日期"),
    "recovery_amount": ("追偿金额", "追偿回收金额", "回收金额"),
    "recovery_date": ("追偿日", "追偿日期", "回收日期"),
}

STATES = {
    "待受理": "draft", "已受理": "accepted", "受理": "accepted", "尽调中": "investigating",
    "评审中": "reviewing", "评审通过": "approved", "已批准": "approved", "否决": "rejected",
    "已否决": "rejected", "已签约": "contracted", "在保": "active", "正常在保": "active",
    "已解保": "released", "解保": "released", "已代偿": "compensated", "代偿": "compensated",
    "已结案": "closed", "结案": "closed", "已撤销": "cancelled", "撤销": "cancelled",
}
STATE_KEYS = ("draft", "accepted", "investigating", "reviewing", "approved", "rejected",
              "contracted", "active", "released", "compensated", "closed", "cancelled")
LOANED_STATES = ("active", "released", "compensated", "closed")
RISK_CLASSES = {"正常": "normal", "关注": "special", "次级": "substandard", "可疑": "doubtful",
                "损失": "loss"}
SCALES = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}


def recognise_headers(headers, header_aliases=None):
    """{header: target} for the headers whose name is a usual one (``header_aliases``, by
    default the project sheet's); others are left out."""
    return tabular.recognise_headers(headers, header_aliases or HEADER_ALIASES)


def months_between(start, end):
    """Whole months of a term from its first to its last day (at least 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day >= start.day:
        months += 1
    return max(months, 1)


def clean_row(raw, units, known):
    """Clean and validate one mapped row.

    ``raw``: {target: cell}; ``units``: {target: factor of its header}; ``known``: {"product":
    {name: id}, "creditor": {name: id}, "manager": {name: id}}. Returns (values, problems) with
    problems a list of (target, reason).
    """
    values, problems = {}, []

    def read(target, parser, *args):
        try:
            values[target] = parser(raw.get(target), *args)
        except CellError as error:
            problems.append((target, str(error)))

    for target in ("legacy_ref", "partner_name", "legal_representative"):
        values[target] = clean_text(raw.get(target)) or None
    for target in AMOUNTS:
        read(target, parse_amount, units.get(target, Decimal(1)))
    for target in DATES:
        read(target, parse_date)
    for target in ("term_months", "fee_rate", "own_share"):
        read(target, parse_number)
    read("state", parse_choice, STATES)
    read("risk_class", parse_choice, RISK_CLASSES)
    read("enterprise_scale", parse_choice, SCALES)
    if clean_text(raw.get("is_agricultural")):
        read("is_agricultural", parse_bool)
    for target in ("product", "creditor", "manager"):
        name = clean_text(raw.get(target))
        values[target] = None
        if name:
            if name in known.get(target, {}):
                values[target] = known[target][name]
            else:
                problems.append((target, "unknown %s" % target))
    if clean_text(raw.get("uscc")):
        values["uscc"], values["partner_kind"], reason = check_identifier(raw["uscc"])
        if reason:
            problems.append(("uscc", reason))
    failed = {target for target, _reason in problems}
    for target in REQUIRED:
        if target not in failed and not values.get(target):
            problems.append((target, "missing"))
    problems += _consistency_problems(values, failed | {t for t, _r in problems})
    return values, problems


def _consistency_problems(values, failed):
    """Amounts positive, dates in order and the state consistent with the dates."""
    problems = []
    amount, loan = values.get("amount"), values.get("loan_amount")
    for target in AMOUNTS:
        if target not in failed and values.get(target) is not None and values[target] < 0:
            problems.append((target, "negative amount"))
    if "amount" not in failed and amount is not None and amount <= 0:
        problems.append(("amount", "amount must be positive"))
    if loan and amount and loan > amount:
        problems.append(("loan_amount", "loan above the guaranteed amount"))
    outstanding = values.get("outstanding")
    if outstanding and outstanding > (loan or amount or 0):
        problems.append(("outstanding", "balance above the loan"))
    share = values.get("own_share")
    if share is not None and not 0 < share <= 100:
        problems.append(("own_share", "must be above 0 and at most 100"))
    start, end = values.get("loan_release_date"), values.get("date_end")
    if start and end and end < start:
        problems.append(("date_end", "before the loan date"))
    for target in ("date_released", "compensation_date", "recovery_date"):
        if start and values.get(target) and values[target] < start:
            problems.append((target, "before the loan date"))
    if "state" not in failed and values.get("state"):
        problems += _state_problems(values)
    return problems


def _state_problems(values):
    state = values["state"]
    problems = []
    if state in LOANED_STATES:
        if not values.get("loan_release_date"):
            problems.append(("loan_release_date", "missing for this state"))
        if not values.get("date_end"):
            problems.append(("date_end", "missing for this state"))
    elif values.get("loan_release_date"):
        problems.append(("state", "a loan date is given but the loan is not released"))
    if state == "active" and not values.get("outstanding"):
        problems.append(("outstanding", "missing for a guarantee in force"))
    if state != "active" and values.get("outstanding"):
        problems.append(("outstanding", "only a guarantee in force has a balance"))
    if state == "released" and not values.get("date_released"):
        problems.append(("date_released", "missing for a released guarantee"))
    if state in ("compensated", "closed"):
        for target in ("compensation_amount", "compensation_date"):
            if not values.get(target):
                problems.append((target, "missing for a compensated guarantee"))
    elif values.get("compensation_amount"):
        problems.append(("state", "a compensation is given but the state is not compensated"))
    if values.get("recovery_amount") and not values.get("recovery_date"):
        problems.append(("recovery_date", "missing for a recovery"))
    return problems
