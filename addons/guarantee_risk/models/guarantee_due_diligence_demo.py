"""Demo due diligence: three years of statements for several customers (one failing its
checks), their ratios, measurements, a credit line proposed from one, and a due-diligence
report signed off by both roles of the project under review."""

import datetime
import logging

from odoo import api, models

from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfFontError, find_cjk_font

_logger = logging.getLogger(__name__)
WAN = 10000.0

# The figures of a year, in this order.
FIGURES = (
    "cash", "ar", "nr", "pre", "orc", "inv", "oca", "fa", "cip", "ia", "stl", "ap", "np", "adv",
    "emp", "tax", "opay", "ltl", "capital", "creserve", "sreserve", "rev", "cost", "taxes", "sell",
    "admin", "rd", "fin", "interest", "noi", "noe", "cfo", "cfi",
)
# Per customer and year, in 万元: what a project manager copies from the customer's
# statements; the subtotals, undistributed profit and cash flows are derived so that the
# statements add up (tools/financial_checks.py), except where a demo statement must fail.
DEMO = {
    "guarantee_base.partner_bj_zhongchuang": {
        "standard": "general",
        "auditor": "北京中天华会计师事务所",
        "cash_2022": 620,
        "years": {
            2023: (680, 1450, 120, 160, 90, 780, 60, 900, 0, 260, 600, 820, 80, 210, 140,
                   95, 160, 300, 1000, 400, 180, 6800, 4900, 48, 420, 510, 380, 52, 48,
                   30, 12, 420, -260),
            2024: (560, 1900, 150, 180, 110, 1050, 70, 960, 120, 300, 700, 800, 100, 240,
                   160, 110, 170, 300, 1000, 400, 230, 7900, 5650, 56, 470, 560, 450, 58,
                   55, 25, 10, 510, -420),
            2025: (320, 2150, 140, 210, 120, 1250, 80, 1020, 200, 340, 800, 820, 120, 260,
                   180, 120, 780, 200, 1000, 400, 290, 9100, 6480, 64, 530, 610, 520, 66,
                   62, 20, 15, 620, -380),
        },
    },
    "guarantee_base.partner_hz_tianyuan": {
        "standard": "general",
        "auditor": "浙江天健会计师事务所",
        "cash_2022": 420,
        "years": {
            2023: (460, 980, 60, 90, 40, 1250, 30, 2100, 150, 180, 900, 760, 60, 90, 85,
                   60, 70, 500, 800, 300, 160, 5600, 4480, 34, 180, 310, 160, 72, 70, 12,
                   8, 360, -240),
            2024: (510, 1080, 70, 100, 45, 1500, 30, 2200, 120, 175, 950, 820, 70, 100,
                   90, 65, 75, 450, 800, 300, 190, 6100, 4850, 37, 190, 330, 180, 75, 73,
                   10, 6, 410, -280),
            2025: (260, 1300, 80, 110, 50, 1650, 35, 2250, 90, 170, 1000, 860, 80, 110,
                   95, 70, 420, 400, 800, 300, 220, 6500, 5150, 40, 200, 345, 190, 78, 76,
                   8, 5, 430, -250),
        },
    },
    "guarantee_base.partner_hf_xinke": {
        "standard": "general",
        "auditor": "容诚会计师事务所",
        "cash_2022": 900,
        "years": {
            2023: (950, 3800, 400, 300, 200, 3100, 150, 5200, 600, 700, 4200, 3300, 600,
                   350, 260, 180, 420, 1500, 3000, 0, 300, 18500, 15700, 110, 520, 880,
                   640, 420, 400, 40, 30, 650, -900),
            2024: (820, 4300, 420, 330, 220, 3500, 160, 5600, 900, 720, 4900, 3700, 700,
                   380, 280, 170, 460, 1900, 3000, 0, 320, 19200, 16500, 112, 540, 900,
                   660, 480, 460, 30, 40, 420, -1100),
            2025: (760, 4900, 450, 360, 240, 3900, 170, 5900, 1100, 730, 5600, 4100, 800,
                   400, 290, 160, 480, 2600, 3000, 0, 320, 19600, 17100, 114, 560, 930,
                   670, 560, 540, 20, 50, 300, -1000),
        },
    },
    "guarantee_base.partner_sz_lvyuan": {
        "standard": "small",
        "auditor": "",
        "cash_2022": 85,
        "years": {
            2023: (96, 310, 0, 40, 12, 380, 0, 520, 0, 0, 260, 240, 0, 30, 28, 14, 36,
                   120, 300, 0, 20, 1650, 1380, 9, 62, 98, 0, 24, 23, 4, 2, 88, -45),
            2024: (104, 340, 0, 44, 15, 410, 0, 500, 0, 0, 280, 260, 0, 32, 30, 15, 38,
                   100, 300, 0, 24, 1720, 1440, 10, 64, 101, 0, 25, 24, 3, 2, 92, -40),
            2025: (99, 372, 0, 47, 16, 446, 0, 488, 0, 0, 300, 281, 0, 35, 31, 15, 40, 90,
                   300, 0, 27, 1790, 1505, 10, 66, 104, 0, 26, 25, 2, 3, 80, -50),
        },
        # 2025 as the customer handed it in: 未分配利润 35.6 万元 short, so the balance sheet
        # does not balance; left in draft for the project manager to sort out.
        "broken": {2025: 35.6},
    },
}

BENCHMARKS = {
    # section, scale: {ratio: (average, poor)} — starter values in the spirit of
    # 企业绩效评价标准值, to be replaced by the company's own tables.
    ("C", "small"): {"debt_ratio": (60.0, 80.0), "current_ratio": (1.3, 0.9),
                     "quick_ratio": (0.8, 0.5), "interest_coverage": (3.5, 1.0),
                     "receivable_days": (75.0, 150.0), "inventory_days": (85.0, 160.0),
                     "payable_days": (60.0, 25.0), "profit_margin": (5.0, 0.0),
                     "roe": (8.0, 0.0), "revenue_growth": (6.0, -5.0),
                     "cfo_to_current_liabilities": (0.15, 0.0)},
    ("C", "micro"): {"debt_ratio": (62.0, 82.0), "current_ratio": (1.2, 0.8),
                     "quick_ratio": (0.7, 0.4), "interest_coverage": (3.0, 1.0),
                     "receivable_days": (80.0, 160.0), "inventory_days": (90.0, 170.0),
                     "payable_days": (55.0, 20.0), "profit_margin": (4.0, 0.0),
                     "roe": (7.0, 0.0), "revenue_growth": (5.0, -8.0),
                     "cfo_to_current_liabilities": (0.12, 0.0)},
    ("C", "medium"): {"debt_ratio": (58.0, 78.0), "current_ratio": (1.4, 1.0),
                      "quick_ratio": (0.9, 0.6), "interest_coverage": (4.0, 1.2),
                      "receivable_days": (70.0, 140.0), "inventory_days": (80.0, 150.0),
                      "payable_days": (65.0, 30.0), "profit_margin": (6.0, 0.5),
                      "roe": (9.0, 1.0), "revenue_growth": (7.0, -5.0),
                      "cfo_to_current_liabilities": (0.18, 0.02)},
    ("I", "small"): {"debt_ratio": (50.0, 75.0), "current_ratio": (1.6, 1.0),
                     "quick_ratio": (1.2, 0.7), "interest_coverage": (5.0, 1.5),
                     "receivable_days": (90.0, 180.0), "inventory_days": (40.0, 100.0),
                     "payable_days": (50.0, 20.0), "profit_margin": (8.0, 1.0),
                     "roe": (10.0, 1.0), "revenue_growth": (10.0, -5.0),
                     "cfo_to_current_liabilities": (0.2, 0.03)},
}


def general_values(spec, previous_cash):
    """{item code: amount in 万元} of one year from the demo figures, adding up."""
    s = dict(zip(FIGURES, spec, strict=True))
    v = {
        "cash": s["cash"], "notes_receivable": s["nr"], "accounts_receivable": s["ar"],
        "notes_accounts_receivable": s["nr"] + s["ar"], "prepayments": s["pre"],
        "other_receivables": s["orc"], "inventory": s["inv"], "other_current_assets": s["oca"],
        "fixed_assets": s["fa"], "construction_in_progress": s["cip"],
        "intangible_assets": s["ia"], "short_term_loans": s["stl"], "notes_payable": s["np"],
        "accounts_payable": s["ap"], "notes_accounts_payable": s["np"] + s["ap"],
        "advances_received": s["adv"], "employee_benefits_payable": s["emp"],
        "taxes_payable": s["tax"], "other_payables": s["opay"], "long_term_loans": s["ltl"],
        "paid_in_capital": s["capital"], "capital_reserve": s["creserve"],
        "surplus_reserve": s["sreserve"],
    }
    v["current_assets"] = sum(v[k] for k in ("cash", "notes_accounts_receivable", "prepayments",
                                             "other_receivables", "inventory",
                                             "other_current_assets"))
    v["non_current_assets"] = v["fixed_assets"] + v["construction_in_progress"] + \
        v["intangible_assets"]
    v["total_assets"] = v["current_assets"] + v["non_current_assets"]
    v["current_liabilities"] = sum(v[k] for k in (
        "short_term_loans", "notes_accounts_payable", "advances_received",
        "employee_benefits_payable", "taxes_payable", "other_payables"))
    v["non_current_liabilities"] = v["long_term_loans"]
    v["total_liabilities"] = v["current_liabilities"] + v["non_current_liabilities"]
    v["undistributed_profit"] = round(
        v["total_assets"] - v["total_liabilities"] - s["capital"] - s["creserve"]
        - s["sreserve"], 2)
    v["equity"] = v["total_assets"] - v["total_liabilities"]
    v["total_liabilities_equity"] = v["total_assets"]
    v.update(income_values(s))
    v.update(cash_flow_values(s, previous_cash))
    return v


def income_values(s):
    v = {"revenue": s["rev"], "cost_of_sales": s["cost"], "taxes_surcharges": s["taxes"],
         "selling_expenses": s["sell"], "admin_expenses": s["admin"], "rd_expenses": s["rd"],
         "financial_expenses": s["fin"], "interest_expense": s["interest"],
         "non_operating_income": s["noi"], "non_operating_expenses": s["noe"]}
    v["operating_profit"] = round(s["rev"] - s["cost"] - s["taxes"] - s["sell"] - s["admin"]
                                  - s["rd"] - s["fin"], 2)
    v["total_profit"] = round(v["operating_profit"] + s["noi"] - s["noe"], 2)
    v["income_tax"] = round(max(v["total_profit"], 0) * 0.25, 2)
    v["net_profit"] = round(v["total_profit"] - v["income_tax"], 2)
    return v


def cash_flow_values(s, previous_cash):
    change = round(s["cash"] - previous_cash, 2)
    cff = round(change - s["cfo"] - s["cfi"], 2)
    inflow_sales = round(s["rev"] * 1.06, 2)
    inflow_other = round(s["rev"] * 0.01, 2)
    inflows = inflow_sales + inflow_other
    outflows = round(inflows - s["cfo"], 2)
    employees = round(outflows * 0.12, 2)
    taxes = round(outflows * 0.05, 2)
    other = round(outflows * 0.03, 2)
    loans_in = s["stl"] + max(cff, 0)
    return {
        "cfo_inflow_sales": inflow_sales, "cfo_inflow_other": inflow_other,
        "cfo_inflows": round(inflows, 2),
        "cfo_outflow_purchases": round(outflows - employees - taxes - other, 2),
        "cfo_outflow_employees": employees, "cfo_outflow_taxes": taxes,
        "cfo_outflow_other": other, "cfo_outflows": outflows, "cfo_net": s["cfo"],
        "cfi_outflow_assets": -s["cfi"], "cfi_outflows": -s["cfi"], "cfi_net": s["cfi"],
        "cff_inflow_loans": loans_in, "cff_inflows": loans_in,
        "cff_outflow_repayments": round(loans_in - cff - s["interest"], 2),
        "cff_outflow_interest": s["interest"], "cff_outflows": round(loans_in - cff, 2),
        "cff_net": cff, "net_change_cash": change, "cash_begin": previous_cash,
        "cash_end": s["cash"],
    }


SMALL_DROP = ("notes_accounts_receivable", "notes_accounts_payable", "cfo_inflows",
              "cfo_outflows", "cfi_outflows", "cff_inflows", "cff_outflows", "rd_expenses")


class GuaranteeDueDiligenceDemo(models.AbstractModel):
    _name = "guarantee.due.diligence.demo"
    _description = "Due-Diligence Demo Data"

    @api.model
    def _load(self):
        company = self.env.ref("base.demo_company_cn", raise_if_not_found=False)
        Statement = self.env["guarantee.financial.statement"]
        if not company or Statement.search_count([("company_id", "=", company.id)]):
            return
        # Odoo loads the addon's translations right after its demo data; the report and the
        # warnings written here are kept as text, so they need them now.
        addon = self.env["ir.module.module"].search([("name", "=", "guarantee_risk")])
        addon._update_translations()
        env = self.with_company(company).with_context(lang="zh_CN").env
        self._load_benchmarks(company)
        statements = {}
        for xmlid, spec in DEMO.items():
            statements[xmlid] = self._load_statements(env, env.ref(xmlid), spec)
        self._load_measurements(env, statements)
        self._load_report(env, statements)

    def _load_benchmarks(self, company):
        sections = {
            industry.code: industry
            for industry in self.env["res.partner.industry"].search(
                [("code", "in", list({section for section, _scale in BENCHMARKS}))]
            )
        }
        self.env["guarantee.financial.benchmark"].create([
            {"company_id": company.id, "industry_id": sections[section].id,
             "enterprise_scale": scale, "ratio": ratio,
             "value_average": average, "value_poor": poor, "year": 2025,
             "source": "演示数据：参照《企业绩效评价标准值》，请按最新标准值维护"}
            for (section, scale), marks in BENCHMARKS.items()
            for ratio, (average, poor) in marks.items()
        ])

    def _load_statements(self, env, partner, spec):
        Statement = env["guarantee.financial.statement"]
        previous_cash = spec["cash_2022"]
        result = Statement.browse()
        for year, figures in sorted(spec["years"].items()):
            values = general_values(figures, previous_cash)
            previous_cash = values["cash"]
            if spec["standard"] == "small":
                values = {k: v for k, v in values.items() if k not in SMALL_DROP}
                values["fixed_assets_cost"] = round(values["fixed_assets"] * 1.6, 2)
                values["accumulated_depreciation"] = round(
                    values["fixed_assets_cost"] - values["fixed_assets"], 2)
            broken = spec.get("broken", {}).get(year)
            if broken:
                values["undistributed_profit"] = round(values["undistributed_profit"] - broken, 2)
                values["equity"] = round(values["equity"] - broken, 2)
                values["total_liabilities_equity"] = round(
                    values["total_liabilities_equity"] - broken, 2)
            statement = Statement.create({
                "partner_id": partner.id,
                "date_end": datetime.date(year, 12, 31),
                "kind": "annual",
                "standard": spec["standard"],
                "audited": bool(spec["auditor"]) and year >= 2024,
                "auditor": spec["auditor"] if year >= 2024 else False,
                "audit_opinion": "unqualified" if spec["auditor"] and year >= 2024 else False,
                "source": "audit" if spec["auditor"] and year >= 2024 else "tax",
                "unit": "10000",
            })
            statement._set_amounts({code: amount * WAN for code, amount in values.items()})
            if not broken:
                statement.action_confirm()
            result |= statement
        return result

    def _load_measurements(self, env, statements):
        Measurement = env["guarantee.credit.measurement"]
        zhongchuang = env.ref("guarantee_base.partner_bj_zhongchuang")
        measurement = Measurement.create({
            "partner_id": zhongchuang.id,
            "project_id": env.ref("guarantee_base.project_reviewing_demo").id,
            "statement_id": statements["guarantee_base.partner_bj_zhongchuang"][-1].id,
            "growth_rate": 15.0,
            "growth_reason": "2026年已签订单同比增长约18%，保守按15%预计。",
            "adjustment_ids": [(0, 0, {
                "amount": -100 * WAN,
                "reason": "第一大客户回款周期延长，审慎扣减100万元。",
            })],
        })
        measurement.action_confirm()
        env["guarantee.credit.line"].create({
            "partner_id": zhongchuang.id,
            "measurement_id": measurement.id,
            "amount": measurement.result_amount,
            "date_start": datetime.date(2026, 1, 1),
            "date_end": datetime.date(2026, 12, 31),
            "note": "按流动资金测算结果提出的授信额度建议，待评审后确认。",
        })
        tianyuan = env.ref("guarantee_base.partner_hz_tianyuan")
        Measurement.create({
            "partner_id": tianyuan.id,
            "project_id": env.ref("guarantee_base.project_active_tianyuan_demo").id,
            "statement_id": statements["guarantee_base.partner_hz_tianyuan"][-1].id,
            "growth_rate": 8.0,
            "growth_reason": "近三年收入年均增长约8%，新生产线2026年投产，按8%预计。",
        }).action_confirm()
        method = env.ref("guarantee_risk.credit_method_net_assets_demo")
        xinke = env.ref("guarantee_base.partner_hf_xinke")
        Measurement.create({
            "partner_id": xinke.id,
            "method": "configured",
            "method_id": method.id,
            "statement_id": statements["guarantee_base.partner_hf_xinke"][-1].id,
        }).action_confirm()

    def _load_report(self, env, statements):
        project = env.ref("guarantee_base.project_reviewing_demo")
        pm_a = env.ref("guarantee_base.user_pm_zhang")
        pm_b = env.ref("guarantee_base.user_pm_li")
        measurement = env["guarantee.credit.measurement"].search(
            [("project_id", "=", project.id)], limit=1
        )
        report = env["guarantee.due.diligence.report"].with_user(pm_a).create({
            "project_id": project.id,
            "date": datetime.date(2026, 1, 20),
            "statement_ids": [(6, 0, statements["guarantee_base.partner_bj_zhongchuang"].ids)],
            "measurement_id": measurement.id,
            "shareholder_ids": [
                (0, 0, {"name": "吴中", "share": 60, "contribution": 600 * WAN,
                        "is_controller": True, "note": "法定代表人、实际控制人"}),
                (0, 0, {"name": "北京创新投资有限公司", "share": 40, "contribution": 400 * WAN}),
            ],
            "profile_text": "企业成立于2015年，主营企业管理软件开发与系统集成，拥有软件著作权36项，"
                            "为国家高新技术企业。管理团队稳定，实际控制人吴中从业二十年。",
            "shareholders_text": "实际控制人吴中持股60%，北京创新投资有限公司持股40%；"
                                 "经查询无其他对外投资及关联担保。",
            "operations_text": "2025年实现营业收入9,100万元，同比增长15.2%；前五大客户为"
                               "省级国企及金融机构，合同期一至三年；在手订单约6,800万元。",
            "financial_text": "近三年收入与利润稳定增长，资产负债率在48%至56%之间，"
                              "经营现金流持续为正；应收账款周转天数约86天，优于行业平均的90天，"
                              "存货周转略慢于行业平均。",
            "collateral_text": "实际控制人吴中夫妇提供连带责任保证，并以北京市海淀区房产"
                               "提供第二顺位抵押。",
            "risk_text": "客户集中度较高，前五大客户占收入62%；研发投入较大，"
                         "需关注新产品回款情况。",
            "manager_opinion": "企业经营稳健，现金流与在手订单可覆盖还款，同意按500万元、"
                               "期限24个月提交评审。",
            "assistant_opinion": "同意A角意见，建议放款后按季度收集财务报表并跟踪大客户回款。",
        })
        try:
            find_cjk_font()
        except PdfFontError:
            _logger.warning("No Chinese font: the demo due-diligence report is left unsigned.")
            return
        report.with_user(pm_a).action_sign()
        report.with_user(pm_b).action_sign()
