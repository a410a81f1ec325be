"""Cleaning and validation of the counter-guarantee sheet (反担保) of a legacy ledger: pure
functions, no ORM, with the cells read by the parsers of ``ledger_import``.

A row names the project by its ledger reference (项目编号), the kind of counter-guarantee
(抵押, 质押, 保证 or a kind with its asset: 房产抵押, 股权质押, 自然人保证…), the owner or
guarantor with a USCC or resident ID number, values in 万元 and the registration.
"""

from decimal import Decimal

from odoo.addons.guarantee_platform.tools.money import round_half_up

from .ledger_import import (
    CellError,
    check_identifier,
    clean_text,
    parse_amount,
    parse_choice,
    parse_date,
    parse_number,
)
from .ledger_import import recognise_headers as recognise_ledger_headers

# Names of the sheet the counter-guarantees are read from (the projects are the first sheet).
SHEET_NAMES = ("反担保", "反担保措施", "反担保台账")

COLUMNS = [
    ("project_ref", "项目编号"),
    ("legacy_ref", "反担保编号"),
    ("kind", "反担保类型"),
    ("asset_type", "抵质押物类型"),
    ("owner_name", "所有权人/保证人"),
    ("owner_id_no", "证件号码"),
    ("name", "反担保物描述"),
    ("appraised_value", "评估价值(万元)"),
    ("haircut", "抵质押率(%)"),
    ("recognized_value", "认定价值(万元)"),
    ("registration_no", "登记编号"),
    ("registration_authority", "登记机关"),
    ("registration_date", "登记日"),
    ("registration_expiry", "登记到期日"),
    ("state", "状态"),
]
REQUIRED = ("project_ref", "kind", "owner_name", "owner_id_no")
AMOUNTS = ("appraised_value", "recognized_value")

HEADER_ALIASES = {
    "project_ref": ("项目编号", "台账编号", "业务编号", "项目号", "编号"),
    "legacy_ref": ("反担保编号", "措施编号", "反担保措施编号", "押品编号"),
    "kind": ("反担保类型", "反担保方式", "反担保措施", "措施类型", "担保方式", "类型"),
    "asset_type": ("抵质押物类型", "资产类型", "押品类型", "抵押物类型", "质押物类型"),
    "owner_name": ("所有权人/保证人", "所有权人", "保证人", "抵押人", "出质人", "权利人",
                   "反担保人", "所有人"),
    "owner_id_no": ("证件号码", "证件号", "统一社会信用代码", "信用代码", "身份证号",
                    "身份证号码"),
    "name": ("反担保物描述", "描述", "反担保物", "抵质押物", "押品名称", "名称", "权证名称"),
    "appraised_value": ("评估价值", "评估值", "评估金额", "价值"),
    "haircut": ("抵质押率", "折扣率", "认定比例", "抵押率", "质押率"),
    "recognized_value": ("认定价值", "认可价值", "折后价值"),
    "registration_no": ("登记编号", "登记证号", "他项权证号", "权证编号", "登记号"),
    "registration_authority": ("登记机关", "登记机构", "登记部门"),
    "registration_date": ("登记日", "登记日期", "办理日期"),
    "registration_expiry": ("登记到期日", "到期日", "到期日期", "有效期至"),
    "state": ("状态", "反担保状态", "登记状态"),
}

# Chinese kinds: (kind, asset type or None when another column or the owner tells it)
KINDS = {
    "抵押": ("mortgage", None), "房产抵押": ("mortgage", "real_estate"),
    "房地产抵押": ("mortgage", "real_estate"), "土地抵押": ("mortgage", "land"),
    "设备抵押": ("mortgage", "equipment"), "车辆抵押": ("mortgage", "vehicle"),
    "质押": ("pledge", None), "存单质押": ("pledge", "deposit"),
    "保证金质押": ("pledge", "deposit"), "应收账款质押": ("pledge", "receivable"),
    "股权质押": ("pledge", "equity"), "股票质押": ("pledge", "stock"),
    "知识产权质押": ("pledge", "ip"), "专利质押": ("pledge", "ip"),
    "保证": ("guarantor", None), "连带责任保证": ("guarantor", None),
    "个人保证": ("guarantor", "person"), "自然人保证": ("guarantor", "person"),
    "企业保证": ("guarantor", "enterprise"), "法人保证": ("guarantor", "enterprise"),
    "mortgage": ("mortgage", None), "pledge": ("pledge", None), "guarantor": ("guarantor", None),
}
ASSET_TYPES = {
    "房产": "real_estate", "房地产": "real_estate", "住宅": "real_estate", "厂房": "real_estate",
    "土地": "land", "土地使用权": "land", "机器设备": "equipment", "设备": "equipment",
    "车辆": "vehicle", "存单": "deposit", "保证金": "deposit", "应收账款": "receivable",
    "股权": "equity", "股票": "stock", "上市公司股票": "stock", "知识产权": "ip", "专利": "ip",
    "商标": "ip", "自然人": "person", "个人": "person", "企业": "enterprise", "法人": "enterprise",
}
# Asset types of each kind (as guarantee_risk's ASSET_TYPES_BY_KIND).
ASSET_TYPES_BY_KIND = {
    "mortgage": ("real_estate", "land", "equipment", "vehicle"),
    "pledge": ("deposit", "receivable", "equity", "stock", "ip"),
    "guarantor": ("person", "enterprise"),
}
STATES = {
    "拟办": "planned", "待登记": "planned", "未登记": "planned", "未办理": "planned",
    "已登记": "registered", "已办理": "registered", "有效": "registered", "已签署": "registered",
    "已解除": "released", "已注销": "released", "解押": "released", "已解押": "released",
}


def recognise_headers(headers):
    """{header: target} for the usual headers of a counter-guarantee sheet."""
    return recognise_ledger_headers(headers, HEADER_ALIASES)


def clean_row(raw, units):
    """Clean and validate one mapped row of the sheet: (values, problems) as
    ``ledger_import.clean_row``; whether the project exists is checked by the caller."""
    values, problems = {}, []

    def read(target, parser, *args):
        try:
            values[target] = parser(raw.get(target), *args)
        except CellError as error:
            problems.append((target, str(error)))

    for target in ("project_ref", "legacy_ref", "owner_name", "name", "registration_no",
                   "registration_authority"):
        values[target] = clean_text(raw.get(target)) or None
    for target in AMOUNTS:
        read(target, parse_amount, units.get(target, Decimal(1)))
    for target in ("registration_date", "registration_expiry"):
        read(target, parse_date)
    read("haircut", parse_number)
    read("state", parse_choice, STATES)
    read("asset_type", parse_choice, ASSET_TYPES)
    _read_kind(raw, values, problems)
    if clean_text(raw.get("owner_id_no")):
        values["owner_id_no"], values["owner_kind"], reason = check_identifier(
            raw["owner_id_no"])
        if reason:
            problems.append(("owner_id_no", reason))
    failed = {target for target, _reason in problems}
    for target in REQUIRED:
        if target not in failed and not values.get(target):
            problems.append((target, "missing"))
    failed |= {target for target, _reason in problems}
    if not values.get("state") and "state" not in failed:
        values["state"] = "registered" if values.get("registration_date") else "planned"
    problems += _asset_type_problems(values, failed)
    problems += _value_problems(values, failed)
    if not values.get("name") and values.get("owner_name"):
        values["name"] = "%s %s" % (clean_text(raw.get("kind")), values["owner_name"])
    return values, problems


def _read_kind(raw, values, problems):
    """The kind, and the asset type when the kind's label names it (房产抵押 …)."""
    text = clean_text(raw.get("kind"))
    values["kind"] = None
    if not text:
        return
    if text.lower() not in KINDS:
        problems.append(("kind", "unknown value"))
        return
    values["kind"], asset_type = KINDS[text.lower()]
    if asset_type and not values.get("asset_type"):
        values["asset_type"] = asset_type


def _asset_type_problems(values, failed):
    """The asset type belongs to the kind; a guarantor's comes from the owner's number."""
    kind = values.get("kind")
    if not kind or "asset_type" in failed:
        return []
    if kind == "guarantor" and not values.get("asset_type") and "owner_id_no" not in failed:
        values["asset_type"] = "person" if values.get("owner_kind") == "person" else "enterprise"
    asset_type = values.get("asset_type")
    if not asset_type:
        return [("asset_type", "missing for this kind")]
    if asset_type not in ASSET_TYPES_BY_KIND[kind]:
        return [("asset_type", "not an asset of this kind")]
    if kind == "guarantor" and values.get("owner_kind") and "owner_id_no" not in failed and (
        (asset_type == "person") != (values["owner_kind"] == "person")
    ):
        return [("owner_id_no", "not the number of this kind of guarantor")]
    return []


def _value_problems(values, failed):
    """Values positive, the haircut a share, dates in order, a registration when registered."""
    problems = []
    appraised, recognized = values.get("appraised_value"), values.get("recognized_value")
    for target in AMOUNTS:
        if target not in failed and values.get(target) is not None and values[target] <= 0:
            problems.append((target, "amount must be positive"))
    haircut = values.get("haircut")
    if haircut is not None and not 0 <= haircut <= 100:
        problems.append(("haircut", "must be between 0 and 100"))
    if recognized and not appraised and "appraised_value" not in failed:
        problems.append(("appraised_value", "missing for a recognised value"))
    if recognized and appraised and recognized > appraised:
        problems.append(("recognized_value", "above the appraised value"))
    if haircut is None and recognized and appraised and recognized <= appraised:
        values["haircut"] = round_half_up(recognized * 100.0 / appraised)
    start, end = values.get("registration_date"), values.get("registration_expiry")
    if start and end and end < start:
        problems.append(("registration_expiry", "before the registration date"))
    registered = values.get("state") in ("registered", "released")
    if registered and values.get("kind") in ("mortgage", "pledge"):
        for target in ("registration_no", "registration_date"):
            if target not in failed and not values.get(target):
                problems.append((target, "missing for a registered counter-guarantee"))
    return problems


def match_key(values):
    """How a re-import finds the counter-guarantee again within its project: its ledger
    reference, else its kind, owner and registration number."""
    if values.get("legacy_ref"):
        return ("ref", values["legacy_ref"])
    return ("owner", values["kind"], values["owner_id_no"], values.get("registration_no") or "")
