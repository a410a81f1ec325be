import math
import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.guarantee_scoring.models.guarantee_project_score import SKIP_SCORING
from odoo.addons.guarantee_scoring.models.guarantee_scorecard_demo import demo_uscc

# Days from the first step of a project's story to each state it entered; a project that
# went into force enters ``active`` on its loan release day (the steps before it are dated
# back from there).
STEP_DAYS = {
    "draft": 0,
    "accepted": 2,
    "investigating": 6,
    "reviewing": 16,
    "approved": 24,
    "rejected": 24,
    "contracted": 30,
    "cancelled": 5,
    "active": 36,
}
# Days before today of the latest step of the demo projects still in the pipeline.
PIPELINE_RECENT_DAYS = {
    "guarantee_base.project_draft_demo": 1,
    "guarantee_base.project_accepted_demo": 3,
    "guarantee_base.project_investigating_demo": 4,
    "guarantee_base.project_reviewing_demo": 5,
    "guarantee_base.project_approved_demo": 6,
    "guarantee_base.project_contracted_demo": 8,
    "guarantee_base.project_rejected_demo": 33,
    "guarantee_base.project_cancelled_demo": 47,
}
# Loan release of the demo projects put in force, (months, days) before today, and their
# principal repayments (months after the release, amount).
RELEASES = {
    "guarantee_base.project_active_changjiang_bond_demo": ((22, 5), ()),
    "guarantee_base.project_active_hengtai_demo": ((16, 10), ()),
    "guarantee_base.project_active_xinke_demo": (
        (11, 12), ((3, 2000000.0), (6, 2000000.0), (9, 2000000.0))),
    "guarantee_base.project_active_tianyuan_demo": ((9, 3), ((3, 1000000.0), (6, 1000000.0))),
    "guarantee_base.project_active_hongda_demo": ((8, 20), ((4, 500000.0),)),
    "guarantee_base.project_active_lvyuan_demo": ((7, 8), ()),
    "guarantee_base.project_active_farmer_liu_demo": ((6, 2), ()),
}
# The current book: loans in force released over the last two years, in the portfolio of
# the manager of their enterprise's scale (张伟: micro and small, 李娜: medium and large).
BOOK_SIZE = 24
BOOK_SERIAL = 1000
BOOK_CITIES = ("杭州", "宁波", "嘉兴", "湖州", "绍兴", "金华", "衢州", "丽水")
BOOK_WORDS = ("晨光", "德润", "鸿运", "嘉业", "锦程", "凯达", "利民", "茂源", "南华", "润泽",
              "盛通", "拓新")
BOOK_INDUSTRIES = {
    "A": "生态农业",
    "C": "精密制造",
    "E": "建设工程",
    "F": "贸易",
    "G": "供应链管理",
    "I": "软件科技",
}
BOOK_AMOUNTS = {
    "micro": (100, 150, 200, 300),
    "small": (200, 300, 500, 800),
    "medium": (500, 800, 1000),
    "large": (800, 1000, 1500),
}
BOOK_BANKS = ("partner_bank_icbc_hz", "partner_bank_ccb_js", "partner_bank_abc_ah",
              "partner_bank_cmb_sc")
# The highest leverage (financing liability balance ÷ net assets) of the back-filled month
# ends and today: the demo company's net assets are set for it.
DEMO_MAX_LEVERAGE = 6
BACKFILL_MONTHS = 36


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    @api.model
    def _demo_story(self):
        """Demo: date the history of the demo company as a story of the three years before
        the install day. Loans released and repaid on their days, the guarantee of
        海天 released in the middle of last month, every state-log entry of a project on its
        own day (the steps before the loan release dated back from it, a release on its
        day, a compensation on its payment day), the committee meetings a few days after
        the review began; then the flow aggregates rebuilt, the month-end balance
        snapshots of the last three years back-filled from that history, and net assets
        set for a leverage of about four on today's portfolio."""
        company = self.env.ref("base.demo_company_cn", raise_if_not_found=False)
        if not company:
            return
        today = fields.Date.context_today(self)
        self._demo_story_book(company, today)
        self._demo_story_releases(today)
        projects = self.sudo().with_context(active_test=False).search(
            [("company_id", "=", company.id)])
        self._demo_story_state_logs(projects, today)
        self.env["guarantee.flow.aggregate"].sudo()._rebuild_all()
        last_month_end = today.replace(day=1) - timedelta(days=1)
        runs = self.env["guarantee.balance.snapshot.run"].sudo()._backfill(
            last_month_end - relativedelta(months=BACKFILL_MONTHS - 1), last_month_end,
            "month", companies=company)
        self._demo_story_net_assets(company, today, runs)

    @api.model
    def _demo_story_book(self, company, today):
        """The loans in force besides the demo's named projects: ``BOOK_SIZE`` enterprises
        of Zhejiang, each with one loan released in the last two years and maturing after
        next month; those of two or three years repay a tenth of the principal after six
        months."""
        rng = random.Random(29)
        sections = {
            industry.code: industry
            for industry in self.env["res.partner.industry"].search(
                [("parent_id", "=", False), ("code", "in", list(BOOK_INDUSTRIES))]
            )
        }
        zhang = self.env.ref("guarantee_base.user_pm_zhang")
        li = self.env.ref("guarantee_base.user_pm_li")
        partners_vals, projects_vals = [], []
        for number in range(BOOK_SIZE):
            scale = ("micro", "small", "small", "medium", "large")[number % 5]
            section = rng.choice(sorted(sections))
            amount = rng.choice(BOOK_AMOUNTS[scale]) * 10000.0
            term = rng.choice((12, 24, 24, 36))
            release = today - timedelta(days=rng.randrange(20, min(term * 30 - 60, 720)))
            age = rng.uniform(3, 20)
            small = scale in ("micro", "small")
            partners_vals.append({
                "name": "%s%s%s有限公司" % (
                    rng.choice(BOOK_CITIES),
                    BOOK_WORDS[number % len(BOOK_WORDS)]
                    + BOOK_WORDS[(number * 5 + 3) % len(BOOK_WORDS)],
                    BOOK_INDUSTRIES[section],
                ),
                "is_company": True,
                "is_guarantee_customer": True,
                "uscc": demo_uscc(BOOK_SERIAL + number),
                "enterprise_scale": scale,
                "industry_id": sections[section].id,
                "state_id": self.env.ref("base.state_cn_ZJ").id,
                "registered_capital": amount * rng.choice((1, 2, 3)),
                "established_date": release - timedelta(days=int(age * 365.25)),
                "company_id": company.id,
            })
            product = ("product_loan_agri" if section == "A" and amount <= 3000000
                       else "product_loan_sme" if small else "product_loan_general")
            projects_vals.append({
                "company_id": company.id,
                "product_id": self.env.ref("guarantee_base.%s" % product).id,
                "creditor_id": self.env.ref(
                    "guarantee_base.%s" % BOOK_BANKS[number % len(BOOK_BANKS)]).id,
                "amount": amount,
                "term_months": min(term, 24) if product == "product_loan_agri" else term,
                "date_start": release,
                "manager_id": (zhang if small else li).id,
                "assistant_id": (li if small else zhang).id,
                "purpose": "补充流动资金，采购原材料" if small else "扩大生产经营，购置设备",
                "investigation_summary": "<p>企业经营正常，现金流稳定，反担保措施充足。</p>",
                "loan_release_date": release,
                "loan_amount_released": amount,
            })
        partners = self.env["res.partner"].sudo().create(partners_vals)
        for vals, partner in zip(projects_vals, partners, strict=True):
            vals["partner_id"] = partner.id
        quiet = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        projects = self.sudo().with_company(company).with_context(**quiet).create(projects_vals)
        projects = projects.with_context(guarantee_skip_scoring=SKIP_SCORING)
        # approved before the demo's approval tiers, as the history of guarantee_scoring
        tiers = self.env["tier.definition"].sudo().search([("model", "=", "guarantee.project")])
        tiers.active = False
        for step in ("accept", "start_investigation", "submit_review", "approve", "contract",
                     "activate"):
            projects._do_transition(step)
        tiers.active = True
        for project in projects.with_context(lang=self.env.lang):
            repaid_on = project.loan_release_date + relativedelta(months=6)
            if project.term_months >= 24 and repaid_on < today:
                project._record_repayment(project.amount / 10, "按借款合同约定归还部分本金",
                                          date=repaid_on)

    @api.model
    def _demo_story_releases(self, today):
        """Loan releases and repayments of the demo projects in force on their days."""
        for xmlid, ((months, days), repayments) in RELEASES.items():
            project = self.env.ref(xmlid, raise_if_not_found=False)
            if not project or not project.loan_release_date:
                continue
            release = today - relativedelta(months=months, days=days)
            project.sudo()._unlocked(history=True).write(
                {"loan_release_date": release, "date_start": release})
            for after, amount in repayments:
                if project.state == "active":
                    project._record_repayment(
                        amount, "按借款合同约定分期归还本金（银行还款通知）",
                        date=release + relativedelta(months=after))
        released = self.env.ref("guarantee_base.project_released_demo",
                                raise_if_not_found=False)
        if released and released.date_released:
            # repaid at maturity in the middle of last month
            day = today.replace(day=1) - timedelta(days=15)
            released.sudo()._unlocked(history=True).write({
                "loan_release_date": day - relativedelta(months=released.term_months),
                "date_start": day - relativedelta(months=released.term_months),
                "date_released": day,
            })
        for xmlid, recent in PIPELINE_RECENT_DAYS.items():
            project = self.env.ref(xmlid, raise_if_not_found=False)
            if project:
                # the planned start of the loan, some days after the latest step
                project.sudo()._unlocked(history=True).write(
                    {"date_start": today + timedelta(days=max(30 - recent, 7))})

    @api.model
    def _demo_story_state_logs(self, projects, today):
        """Each state-log entry of ``projects`` on the day its step happened in the story,
        at 10:00 Beijing time (02:00 UTC) on consecutive minutes."""
        Log = self.env["guarantee.project.state.log"].sudo()
        logs_by_project = {}
        for log in Log.search([("project_id", "in", projects.ids)], order="id"):
            logs_by_project.setdefault(log.project_id, []).append(log)
        recent = {}
        for xmlid, days in PIPELINE_RECENT_DAYS.items():
            project = self.env.ref(xmlid, raise_if_not_found=False)
            if project:
                recent[project] = days
        compensated_on = {}
        for compensation in self.env["guarantee.compensation"].sudo().search(
            [("project_id", "in", projects.ids), ("state", "=", "paid")], order="date_paid"
        ):
            compensated_on.setdefault(compensation.project_id, compensation.date_paid)
        for project, logs in logs_by_project.items():
            days = self._demo_story_days(project, logs, today, recent, compensated_on)
            previous = None
            for number, (log, day) in enumerate(zip(logs, days, strict=True)):
                at = datetime.combine(day, time(2, 0)) + timedelta(minutes=number)
                log.write({
                    "date": at,
                    "duration_days": (at - previous).total_seconds() / 86400.0
                    if previous else 0.0,
                })
                previous = at
            if previous:
                project._unlocked(history=True).write({"date_state": previous})
            reviewing = next((d for log, d in zip(logs, days, strict=True)
                              if log.state == "reviewing"), None)
            for review in project.committee_review_ids if reviewing else ():
                meeting = (today + timedelta(days=2) if project.state == "reviewing"
                           else min(reviewing + timedelta(days=4), today))
                review._unlocked(history=True).write(
                    {"date": datetime.combine(meeting, time(1, 30))})

    @api.model
    def _demo_story_days(self, project, logs, today, recent, compensated_on):
        """The day of each of ``logs`` (a project's state-log entries, oldest first), each
        after the one before."""
        release = project.loan_release_date
        if release:
            start = release - timedelta(days=STEP_DAYS["active"])
        else:
            latest = max(STEP_DAYS.get(log.state, 0) for log in logs)
            start = today - timedelta(days=recent.get(project, 3) + latest)
        days = []
        for log in logs:
            if log.state in STEP_DAYS and not (release and days and days[-1] >= release):
                day = start + timedelta(days=STEP_DAYS[log.state])
            elif log.state == "released" and project.date_released:
                day = project.date_released
            elif log.state == "compensated" and release:
                day = compensated_on.get(project) or min(
                    release + relativedelta(months=max(project.term_months * 6 // 10, 1)),
                    today - timedelta(days=40))
            else:
                day = days[-1] + timedelta(days=2) if days else start
            if days and day <= days[-1]:
                day = days[-1] + timedelta(days=1)
            days.append(min(day, today))
        return days

    @api.model
    def _demo_story_net_assets(self, company, today, runs):
        """Net assets, in whole millions of yuan, for a leverage of at most
        ``DEMO_MAX_LEVERAGE`` on every back-filled month end and today."""
        Figures = self.env["guarantee.report.figures"].sudo().with_company(company)
        liabilities = [float(Figures.position(today, company=company)["liability_balance"])]
        liabilities += [run.liability_balance for run in runs]
        if max(liabilities) > 0:
            net_assets = math.ceil(max(liabilities) / DEMO_MAX_LEVERAGE / 1e6) * 1e6
            company.sudo().write({"guarantee_net_assets": net_assets})
