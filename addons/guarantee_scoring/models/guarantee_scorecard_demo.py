import math
import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.guarantee_platform.tools.identifiers import make_uscc

from .guarantee_project_score import SKIP_SCORING

# Effects on the log-odds of default of the demo history (a real signal for the model to find).
SCALE_EFFECT = {"micro": 0.9, "small": 0.3, "medium": -0.4, "large": -1.0}
INDUSTRY_EFFECT = {"A": -0.3, "C": 0.0, "E": 0.8, "F": 1.0, "G": 0.3, "I": -0.5}
PROVINCES = ("ZJ", "JS", "SH", "AH", "JX", "FJ")
CITY_WORDS = (
    "杭州",
    "宁波",
    "温州",
    "绍兴",
    "嘉兴",
    "湖州",
    "金华",
    "台州",
    "苏州",
    "无锡",
    "合肥",
    "南昌",
)
NAME_WORDS = (
    "恒信",
    "瑞丰",
    "华兴",
    "鼎盛",
    "宏远",
    "金桥",
    "新达",
    "永安",
    "联创",
    "泰和",
    "汇通",
    "博远",
    "佳禾",
    "明辉",
    "天成",
    "万利",
    "嘉诚",
    "同舟",
    "启航",
    "和顺",
)
INDUSTRY_WORDS = {
    "A": "农业科技",
    "C": "机械制造",
    "E": "建筑工程",
    "F": "商贸",
    "G": "物流",
    "I": "信息技术",
}
HISTORY_SIZE = 160
HISTORY_FEATURES = (
    "amount",
    "term_months",
    "enterprise_scale",
    "industry",
    "registered_capital",
    "company_age",
)


def demo_uscc(serial):
    """A valid USCC (GB 32100 check digit, GB 11714 organisation code check) for a demo
    company of Hangzhou."""
    return make_uscc("330100", "DM%06d" % serial)


class GuaranteeScorecard(models.Model):
    _inherit = "guarantee.scorecard"

    @api.model
    def _demo_train_from_history(self):
        """Demo: 160 finished projects of the demo company (released or compensated over
        the six years before today), a scorecard trained on them and activated, and every
        demo project being accepted, investigated or reviewed scored with its first-review
        recommendation."""
        company = self.env.ref("base.demo_company_cn", raise_if_not_found=False)
        if not company or self.search_count([("company_id", "=", company.id)]):
            return
        if self.env.lang != "zh_CN":
            # Odoo loads the addon's translations right after its demo data; the
            # characteristics' labels and the reason codes written here are kept as text.
            self.env["ir.module.module"].search(
                [("name", "=", "guarantee_scoring")])._update_translations()
            return self.with_context(lang="zh_CN")._demo_train_from_history()
        self._demo_history(company)
        features = self.env["guarantee.scorecard.feature"].search(
            [("code", "in", HISTORY_FEATURES)]
        )
        scorecard = self.with_company(company).create(
            {"name": "公司历史评分卡（演示）", "company_id": company.id, "source": "history"}
        )
        scorecard._run_training(
            {
                "source": "history",
                "company_id": company.id,
                "product_id": False,
                "test_share": 0.3,
                "random_seed": 42,
                "features": [
                    {"code": f.code, "label": f.name, "kind": f.kind, "monotonic": f.monotonic}
                    for f in features
                ],
            }
        )
        scorecard.action_activate()
        self.env["guarantee.project"].search(
            [
                ("company_id", "=", company.id),
                ("state", "in", ("accepted", "investigating", "reviewing")),
            ]
        )._score_and_prescreen()

    @api.model
    def _demo_history_start(self, today, term, spread):
        """The loan release of a finished demo project: between six years and its term plus
        40 days before ``today`` (``spread`` 0 → latest), so that it matured before last
        month began whatever the day of the install."""
        latest = today - relativedelta(months=term) - timedelta(days=40)
        earliest = today - relativedelta(months=72)
        return latest - timedelta(days=int(spread * max((latest - earliest).days, 0)))

    @api.model
    def _demo_history(self, company):
        """The finished projects of the demo company: loans released over the last six
        years, released at maturity or compensated; micro and small
        enterprises are 张伟's (pm1), medium and large ones 李娜's (pm2)."""
        rng = random.Random(2026)
        today = fields.Date.context_today(self)
        zhang = self.env.ref("guarantee_base.user_pm_zhang")
        li = self.env.ref("guarantee_base.user_pm_li")
        sections = {
            industry.code: industry
            for industry in self.env["res.partner.industry"].search(
                [("parent_id", "=", False), ("code", "in", list(INDUSTRY_EFFECT))]
            )
        }
        provinces = [self.env.ref("base.state_cn_%s" % code) for code in PROVINCES]
        partners_vals, projects_vals, outcomes = [], [], []
        for serial in range(1, HISTORY_SIZE + 1):
            scale = rng.choice(list(SCALE_EFFECT))
            section = rng.choice(sorted(sections))
            age = rng.uniform(0.5, 25)
            capital = rng.choice((100, 300, 500, 1000, 2000, 5000)) * 10000.0
            amount = rng.choice((50, 100, 200, 300, 500, 800)) * 10000.0
            spread = rng.randrange(0, 1400) / 1400.0
            term = rng.choice((6, 12, 12, 24, 36))
            start = self._demo_history_start(today, term, spread)
            log_odds = (
                -0.5
                + SCALE_EFFECT[scale]
                + INDUSTRY_EFFECT[section]
                - 0.08 * age
                + 0.7 * math.log(amount / capital)
                + 0.02 * term
            )
            outcomes.append(rng.random() < 1 / (1 + math.exp(-log_odds)))
            partners_vals.append(
                {
                    "name": "%s%s%s有限公司"
                    % (
                        rng.choice(CITY_WORDS),
                        NAME_WORDS[serial % len(NAME_WORDS)]
                        + NAME_WORDS[(serial * 7) % len(NAME_WORDS)],
                        INDUSTRY_WORDS[section],
                    ),
                    "is_company": True,
                    "is_guarantee_customer": True,
                    "uscc": demo_uscc(serial),
                    "enterprise_scale": scale,
                    "industry_id": sections[section].id,
                    "state_id": rng.choice(provinces).id,
                    "registered_capital": capital,
                    "established_date": start - timedelta(days=int(age * 365.25)),
                    "company_id": company.id,
                }
            )
            projects_vals.append(
                {
                    "company_id": company.id,
                    "product_id": self.env.ref("guarantee_base.product_loan_sme").id,
                    "creditor_id": self.env.ref("guarantee_base.partner_bank_icbc_hz").id,
                    "amount": amount,
                    "term_months": term,
                    "date_start": start,
                    "manager_id": (zhang if scale in ("micro", "small") else li).id,
                    "assistant_id": (li if scale in ("micro", "small") else zhang).id,
                    "purpose": "补充流动资金（历史项目）",
                    "investigation_summary": "<p>历史项目，已结束。</p>",
                    "loan_release_date": start,
                    "loan_amount_released": amount,
                }
            )
        partners = self.env["res.partner"].create(partners_vals)
        for vals, partner in zip(projects_vals, partners, strict=True):
            vals["partner_id"] = partner.id
        quiet = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        projects = (
            self.env["guarantee.project"].with_company(company).with_context(**quiet)
        ).create(projects_vals)
        projects = projects.with_context(guarantee_skip_scoring=SKIP_SCORING)
        # The history was approved before the system: the demo approval tiers do not apply.
        tiers = self.env["tier.definition"].search([("model", "=", "guarantee.project")])
        tiers.active = False
        for step in (
            "accept",
            "start_investigation",
            "submit_review",
            "approve",
            "contract",
            "activate",
        ):
            projects._do_transition(step)
        bad = projects.browse(
            [p.id for p, is_bad in zip(projects, outcomes, strict=True) if is_bad]
        )
        # released at maturity (the day each loan was repaid); the state log is dated by
        # guarantee_reporting's demo story, once every demo record exists
        matured = {}
        for project in projects - bad:
            day = project.loan_release_date + relativedelta(months=project.term_months)
            matured.setdefault(day, projects.browse())
            matured[day] |= project
        for day, released in sorted(matured.items()):
            released._do_transition("release", {"date_released": day})
        bad._do_transition("compensate")
        tiers.active = True
