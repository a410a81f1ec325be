from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_base.models.guarantee_document_type import STAGE_ORDER

from .guarantee_scorecard_grade import outcome_of

PRESCREEN_RESULTS = [("pass", "Pass"), ("review", "Manual Review"), ("decline", "Decline")]
OUTCOME_RANK = {"pass": 0, "review": 1, "decline": 2}
SCORE_FIELDS = {
    "score",
    "grade",
    "pd",
    "scorecard_id",
    "score_reasons",
    "score_date",
    "prescreen_result",
    "prescreen_reasons",
    "prescreen_date",
}
# Proves a write of the score fields comes from the scoring itself, not from an RPC call.
SCORE_TOKEN = object()
# Historical projects created on the server (demo history) are not scored at acceptance.
SKIP_SCORING = object()


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    score = fields.Float(digits=(16, 2), readonly=True, copy=False, tracking=True)
    grade = fields.Char(readonly=True, copy=False, index=True, tracking=True)
    pd = fields.Float(string="PD", digits=(16, 4), readonly=True, copy=False)
    scorecard_id = fields.Many2one(
        "guarantee.scorecard", string="Scorecard Version", readonly=True, copy=False, index=True
    )
    score_reasons = fields.Text(
        string="Reason Codes",
        readonly=True,
        copy=False,
        help="The three characteristics that cost most points.",
    )
    score_date = fields.Datetime(string="Scored On", readonly=True, copy=False)
    score_ids = fields.One2many(
        "guarantee.scorecard.score", "project_id", string="Score History", readonly=True
    )
    score_outcome = fields.Selection(
        [("good", "Good"), ("bad", "Bad")],
        compute="_compute_score_outcome",
        store=True,
        index=True,
        help="Known outcome for training and back-testing: released = good; compensated, or "
        "classed substandard or worse = bad.",
    )
    prescreen_result = fields.Selection(
        PRESCREEN_RESULTS,
        string="First Review",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    prescreen_reasons = fields.Text(string="First-Review Reasons", readonly=True, copy=False)
    prescreen_date = fields.Datetime(string="First Review On", readonly=True, copy=False)
    score_required_step = fields.Selection(related="product_id.score_required_step")

    @api.depends("state", "risk_class")
    def _compute_score_outcome(self):
        for project in self:
            project.score_outcome = outcome_of(project.state, project.risk_class)

    def write(self, vals):
        if SCORE_FIELDS & set(vals) and self.env.context.get("guarantee_score") is not SCORE_TOKEN:
            raise UserError(_("Scores and first-review results are set only by the scoring."))
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_score(self):
        """Rescore with the version in use and run the first review again (history kept)."""
        if not (
            self.env.user.has_group("guarantee_base.group_guarantee_risk")
            or self.env.user.has_group("guarantee_base.group_guarantee_admin")
        ):
            raise UserError(_("Only risk officers and administrators score projects."))
        self.check_access("read")
        self._score_and_prescreen()
        return True

    # ------------------------------------------------------------------ transitions

    def _transition_blockers(self, step, **options):
        blockers = super()._transition_blockers(step, **options)
        if (
            self.state in self._lock_transitions[step][0]
            and self.product_id.score_required_step == step
            and not self.score_date
        ):
            blockers.append(
                _("The product requires a score from an active scorecard before this step.")
            )
        return blockers

    def _after_transition(self, step):
        super()._after_transition(step)
        if step == "accept" and self.env.context.get("guarantee_skip_scoring") is not SKIP_SCORING:
            self._score_and_prescreen()

    # ------------------------------------------------------------------ scoring

    def _score_and_prescreen(self):
        """Score with the active version of each project's product (or the company-wide one)
        and give the first-review recommendation. Runs as superuser: a project manager's
        acceptance scores the project, but nobody writes a score by hand."""
        Scorecard = self.env["guarantee.scorecard"].sudo()
        for project in self.sudo():
            scorecard = Scorecard._find_active(project.company_id, project.product_id)
            if scorecard:
                project._apply_score(scorecard)
            project._apply_prescreen()

    def _apply_score(self, scorecard):
        self.ensure_one()
        result = scorecard._score_with_bins(self._scorecard_features())
        reasons = "\n".join(scorecard._reason_labels(result["reasons"]))
        now = fields.Datetime.now()
        self.env["guarantee.scorecard.score"].sudo().create(
            {
                "scorecard_id": scorecard.id,
                "project_id": self.id,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "date": now,
                "score": result["score"],
                "grade": result["grade"],
                "pd": result["pd"],
                "reasons": reasons,
                "bin_ids": [(6, 0, result["bin_records"].ids)],
            }
        )
        values = {
            "score": result["score"],
            "grade": result["grade"],
            "pd": result["pd"],
            "scorecard_id": scorecard.id,
            "score_reasons": reasons,
            "score_date": now,
        }
        self.with_context(guarantee_score=SCORE_TOKEN).write(values)
        self.partner_id.with_context(guarantee_score=SCORE_TOKEN).write(
            {
                "guarantee_score": result["score"],
                "guarantee_score_grade": result["grade"],
                "guarantee_score_pd": result["pd"],
                "guarantee_score_date": now,
            }
        )

    def _scorecard_features(self):
        """The project's values of every feature a scorecard may learn (keys = feature codes)."""
        self.ensure_one()
        partner = self.partner_id
        industry = self.industry_id
        while industry.parent_id:
            industry = industry.parent_id
        reference = self.date_start or fields.Date.to_date(self.create_date) or date.today()
        age = (
            (reference - partner.established_date).days / 365.25
            if partner.established_date
            else None
        )
        return {
            "amount": self.amount / 10000.0,
            "term_months": self.term_months,
            "enterprise_scale": partner.enterprise_scale or None,
            "industry": industry.code or industry.name or None,
            "region": self.region_id.name or None,
            "registered_capital": (
                partner.registered_capital / 10000.0 if partner.registered_capital else None
            ),
            "company_age": age,
            "coverage_ratio": self.coverage_ratio,
            "own_share": self.own_share,
            "is_agricultural": "1" if partner.is_agricultural else "0",
            "business_type": self.business_type or None,
        }

    # ------------------------------------------------------------------ first review

    def _apply_prescreen(self):
        self.ensure_one()
        project = self.with_context(lang=self._prescreen_lang())
        hits = project._prescreen_hits()
        result = max((outcome for outcome, _reason in hits), key=OUTCOME_RANK.get, default="pass")
        labels = {"review": project.env._("Manual Review"), "decline": project.env._("Decline")}
        lines = ["%s: %s" % (labels[outcome], reason) for outcome, reason in hits]
        self.with_context(guarantee_score=SCORE_TOKEN).write(
            {
                "prescreen_result": result,
                "prescreen_reasons": "\n".join(lines)
                or project.env._("Every first-review rule passed."),
                "prescreen_date": fields.Datetime.now(),
            }
        )

    def _prescreen_lang(self):
        """The reasons are kept as text: in Chinese when it is installed (the regulator's and
        the committee's language), else in the user's language."""
        if self.env["res.lang"]._lang_get("zh_CN"):
            return "zh_CN"
        return self.env.lang

    def _prescreen_hits(self):
        """(outcome, reason) of every first-review rule that hits, in rule order."""
        self.ensure_one()
        hits = []
        for rule in self.env["guarantee.prescreen.rule"]._rules_for(self.company_id):
            reason = getattr(self, "_prescreen_%s" % rule.kind)(rule)
            if reason:
                hits.append((rule.outcome, reason))
        return hits

    def _prescreen_controller(self, rule):
        partner = self.partner_id
        controllers = self.company_id.guarantee_controller_partner_ids
        if partner in controllers or (partner.uscc and partner.uscc in controllers.mapped("uscc")):
            return self.env._(
                "%(partner)s is a controlling shareholder or actual controller of the company: "
                "the law forbids guaranteeing them.",
                partner=partner.display_name,
            )
        return False

    def _prescreen_industry(self, rule):
        industry = self.industry_id
        if not industry or not rule.industry_ids:
            return False
        ancestors = {int(i) for i in (industry.parent_path or "").split("/") if i}
        if ancestors & set(rule.industry_ids.ids) or industry in rule.industry_ids:
            return self.env._(
                "The industry %(industry)s is on the blacklist.", industry=industry.display_name
            )
        return False

    def _prescreen_licence(self, rule):
        expiry = self.partner_id.licence_expiry_date
        if expiry and expiry < fields.Date.context_today(self):
            return self.env._("The business licence expired on %(date)s.", date=expiry)
        return False

    def _prescreen_documents(self, rule):
        """Required documents of the stages up to the review that are still missing."""
        stages = STAGE_ORDER[: STAGE_ORDER.index("submit_review") + 1]
        missing = self.document_ids.filtered(
            lambda d: d.required and d.state == "missing" and d.stage in stages
        )
        if missing:
            return self.env._(
                "Required documents missing: %(documents)s.",
                documents="、".join(missing.mapped("name")),
            )
        return False

    def _prescreen_no_score(self, rule):
        if not self.score_date:
            return self.env._("No active scorecard applies to this project, so it has no score.")
        return False

    def _prescreen_score(self, rule):
        if self.score_date and self.score < rule.threshold:
            return self.env._(
                "Score %(score).1f (grade %(grade)s) is below %(threshold).1f.",
                score=self.score,
                grade=self.grade,
                threshold=rule.threshold,
            )
        return False

    def _prescreen_coverage(self, rule):
        if rule.threshold and self.coverage_ratio < rule.threshold:
            return self.env._(
                "Counter-guarantee coverage %(ratio).2f%% is below %(threshold).2f%%.",
                ratio=self.coverage_ratio,
                threshold=rule.threshold,
            )
        return False

    def _prescreen_limits(self, rule):
        figures = self.env["guarantee.regulatory.engine"].evaluate(self)
        breaches = figures["bans"] + figures["limits_exceeded"]
        if breaches:
            return self.env._("Regulatory limits: %(limits)s", limits=" ".join(breaches))
        return False
