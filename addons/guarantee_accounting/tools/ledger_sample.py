"""Generated legacy ledgers (台账) as .xlsx: the import tests and tools/bench_ledger_import.py
use the same rows."""

import base64
import datetime
import io

import xlsxwriter

from odoo.addons.guarantee_platform.tools.identifiers import make_resident_id, make_uscc

HEADERS = (
    "项目编号", "客户名称", "统一社会信用代码", "企业规模", "是否涉农", "业务品种", "合作银行",
    "担保金额(万元)", "放款日", "到期日", "在保余额(万元)", "五级分类", "状态", "解保日",
    "代偿金额(万元)", "代偿日",
)
# (状态, 五级分类) cycled over the rows: every kind of history a ledger holds
PROFILES = [("在保", "正常"), ("在保", "关注"), ("已解保", "正常"), ("已代偿", "次级"),
            ("已结案", "损失"), ("待受理", "正常"), ("已撤销", "正常")]


def company_uscc(index):
    """A valid USCC for the index-th company of a generated ledger."""
    return make_uscc("330106", "%08d" % (10000000 + index))


def person_id(index):
    """A valid resident ID number (Hangzhou, born 1980-01-01) for the index-th person."""
    return make_resident_id("33010619800101%03d" % (index % 1000))


def ledger_rows(count, product, bank, prefix="TZ"):
    """``count`` ledger rows, one project each, a customer per 2 rows, in mixed formats (full
    width digits, 万元 and Excel dates, Chinese dates) as old ledgers have them."""
    start = datetime.date(2021, 1, 4)
    rows = []
    for i in range(count):
        state, risk = PROFILES[i % len(PROFILES)]
        loan_day = start + datetime.timedelta(days=i % 700)
        end_day = loan_day + datetime.timedelta(days=364)
        loaned = state not in ("待受理", "已撤销")
        customer = i // 2
        rows.append([
            "%s-%05d" % (prefix, i + 1),
            "台账客户%05d有限公司" % customer,
            company_uscc(customer),
            ("小型", "微型", "中型")[customer % 3],
            "否" if customer % 5 else "是",
            product,
            bank,
            ("５００" if i % 4 == 0 else 100 + i % 400),
            (loan_day if i % 3 else "%d年%d月%d日" % (loan_day.year, loan_day.month,
                                                     loan_day.day)) if loaned else None,
            end_day.strftime("%Y-%m-%d") if loaned else None,
            60 if state == "在保" else None,
            risk,
            state,
            (end_day if state == "已解保" else None),
            (50 if state in ("已代偿", "已结案") else None),
            (end_day.strftime("%Y/%m/%d") if state in ("已代偿", "已结案") else None),
        ])
    return rows


def collateral_rows(refs):
    """Counter-guarantee rows (sheet 反担保) for the projects ``refs``: a registered house
    mortgage with its reference, a personal guarantor without one, and an equity pledge still
    to be registered, cycled over the projects."""
    rows = []
    for i, ref in enumerate(refs):
        profile = i % 3
        if profile == 0:
            rows.append([ref, "FDB-%s" % ref, "房产抵押", None, "抵押人%05d" % i, person_id(i),
                         "住宅%05d号" % i, "８００", 70, None, "浙不动产证明第%05d号" % i,
                         "杭州市不动产登记中心", "2021年2月20日", datetime.date(2022, 2, 28),
                         "已登记"])
        elif profile == 1:
            rows.append([ref, None, "保证", None, "保证人%05d" % i, person_id(500 + i), None,
                         None, None, None, None, None, None, None, "有效"])
        else:
            rows.append([ref, None, "质押", "股权", "出质企业%05d有限公司" % i,
                         company_uscc(5000 + i), "股权%05d" % i, 300, None, 150, None, None,
                         None, None, "待登记"])
    return rows


COLLATERAL_HEADERS = (
    "项目编号", "反担保编号", "反担保方式", "抵质押物类型", "所有权人/保证人", "证件号码",
    "反担保物", "评估价值(万元)", "抵质押率(%)", "认定价值(万元)", "他项权证号", "登记机关",
    "登记日期", "到期日", "状态",
)


def ledger_xlsx(rows, headers=None, collaterals=None):
    """The rows as an .xlsx file (base64, as an Odoo binary field takes it), with the
    counter-guarantee rows on the sheet 反担保 when given."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    _write_sheet(book.add_worksheet("台账"), headers or HEADERS, rows, date_format)
    if collaterals is not None:
        _write_sheet(book.add_worksheet("反担保"), COLLATERAL_HEADERS, collaterals, date_format)
    book.close()
    return base64.b64encode(output.getvalue())


def _write_sheet(sheet, headers, rows, date_format):
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(number, col, datetime.datetime.combine(
                    value, datetime.time()), date_format)
            elif value is not None:
                sheet.write(number, col, value)
