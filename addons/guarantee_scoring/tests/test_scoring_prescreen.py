import base64
import csv
import io
import math
import random
from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.guarantee_risk.tests.common import RiskCase
from odoo.addons.guarantee_scoring.models.guarantee_project_score import SKIP_SCORING


def project_history_rows(size=600, seed=11):
    """Rows keyed by the project features a scorecard learns from history: young micro
    companies with large amounts default more."""
    rng = random.Random(seed)
    scales = {"micro": 1.0, "small": 0.3, "medium": -0.5, "large": -1.2}
    rows = []
    for _index in range(size):
        scale = rng.choice(sorted(scales))
        age = rng.uniform(0.5, 25)
        amount = rng.choice((50, 100, 300, 500, 1000))
        log_odds = -1.0 + scales[scale] - 0.12 * age + 0.002 * amount
        rows.append(
            {
                "enterprise_scale": scale,
                "company_age": "%.2f" % age,
                "amount": str(amount),
                "bad": "1" if rng.random() < 1 / (1 + math.exp(-log_odds)) else "0",
            }
        )
    return rows


@tagged("post_install", "-at_install")
class TestScoringAndFirstReview(RiskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("guarantee_base.group_guarantee_risk")
        # net assets large enough that no test project comes near a regulatory limit
        cls.company.write({"guarantee_net_assets_source": "config", "guarantee_net_assets": 1e10})
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=["enterprise_scale", "company_age", "amount", "bad"]
        )
        writer.writeheader()
        writer.writerows(project_history_rows())
        wizard = cls.env["guarantee.scorecard.train.wizard"].create(
            {
                "source": "file",
                "data_file": base64.b64encode(buffer.getvalue().encode()),
                "data_filename": "history.csv",
                "target_column": "bad",
                "bad_values": "1",
                "company_id": cls.company.id,
            }
        )
        cls.scorecard = cls.env["guarantee.scorecard"].browse(wizard.action_train()["res_id"])
        cls.scorecard.action_activate()
        # thresholds on this scorecard's scale: the best fifth passes, the worst fifth declines
        bands = {g.name: g.min_score for g in cls.scorecard.grade_ids}
        cls.env.ref("guarantee_scoring.prescreen_rule_score_decline").threshold = bands["D"]
        cls.env.ref("guarantee_scoring.prescreen_rule_score_review").threshold = bands["B"]
        cls.env.ref("guarantee_scoring.prescreen_rule_coverage").threshold = 0
        cls.strong = cls._company_partner(
            "稳健机械有限公司", scale="large", established_date=date(2002, 1, 1)
        )
        cls.weak = cls._company_partner(
            "新创商贸有限公司", scale="micro", established_date=date(2025, 6, 1)
        )

    def _accepted(self, partner, amount=500000, **values):
        project = self._project(partner, amount, **values)
        project.with_user(self.pm_a).action_accept()
        return project

    def test_reason_codes_read_in_chinese_whoever_scores(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["guarantee_scoring"], ["zh_CN"],
                                                        overwrite=True)
        project = self._accepted(self.weak, amount=9000000)
        self.assertIn("企业规模", project.score_reasons.splitlines())

    def _zh(self, project, field):
        return project.with_context(lang="zh_CN")[field]

    def test_acceptance_scores_project_and_customer_with_reason_codes(self):
        project = self._accepted(self.weak, amount=9000000)
        self.assertEqual(project.scorecard_id, self.scorecard)
        self.assertTrue(project.score_date)
        self.assertEqual(project.grade, "E")
        self.assertGreater(project.pd, 0.1)
        # reason codes in words: the catalogue's name of the characteristic, not its code
        self.assertNotIn("enterprise_scale", project.score_reasons)
        self.assertEqual(len(project.score_reasons.splitlines()), 3)
        self.assertEqual(self.weak.guarantee_score, project.score)
        self.assertEqual(self.weak.guarantee_score_grade, "E")
        strong = self._accepted(self.strong, amount=500000)
        self.assertGreater(strong.score, project.score)
        self.assertEqual(strong.prescreen_result, "pass")
        self.assertEqual(project.prescreen_result, "decline")
        self.assertIn("低于", project.prescreen_reasons)

    def test_rescoring_keeps_the_history_and_nobody_writes_a_score_by_hand(self):
        project = self._accepted(self.strong)
        project.with_user(self.risk).action_score()
        self.assertEqual(len(project.score_ids), 2)
        self.assertEqual(project.score_ids.scorecard_id, self.scorecard)
        with self.assertRaisesExactly(
            UserError, "Scores and first-review results are set only by the scoring"
        ):
            project.with_user(self.pm_a).write({"score": 999})
        with self.assertRaisesExactly(
            UserError, "Scores and first-review results are set only by the scoring"
        ):
            project.with_user(self.risk).write({"prescreen_result": "pass"})
        with self.assertRaisesExactly(UserError, "Scores are set only by the scoring of a project"):
            self.strong.with_user(self.pm_a).write({"guarantee_score": 999})
        with self.assertRaisesExactly(
            UserError, "Only risk officers and administrators score projects"
        ):
            project.with_user(self.pm_a).action_score()
        # the project manager reads the scores of his own project, not of others'
        self.assertEqual(len(project.with_user(self.pm_a).score_ids), 2)
        other = (
            self.env["guarantee.scorecard.score"]
            .with_user(self.pm_other)
            .search([("project_id", "=", project.id)])
        )
        self.assertFalse(other)

    def test_hard_stops_decline_with_chinese_reasons(self):
        self.company.guarantee_controller_partner_ids = self.strong
        controller = self._accepted(self.strong)
        self.assertEqual(controller.prescreen_result, "decline")
        self.assertIn("实际控制人", controller.prescreen_reasons)
        self.company.guarantee_controller_partner_ids = False

        expired = self._company_partner(
            "过期执照有限公司",
            scale="large",
            established_date=date(2000, 1, 1),
            licence_expiry_date=date.today() - timedelta(days=1),
        )
        project = self._accepted(expired)
        self.assertEqual(project.prescreen_result, "decline")
        self.assertIn("营业执照", project.prescreen_reasons)

        section = self.env["res.partner.industry"].search([("parent_id", "=", False)], limit=1)
        division = self.env["res.partner.industry"].create(
            {"name": "测试细分行业", "parent_id": section.id, "code": "ZZ"}
        )
        self.env.ref("guarantee_scoring.prescreen_rule_industry").industry_ids = section
        blacklisted = self._company_partner(
            "黑名单行业有限公司",
            scale="large",
            established_date=date(2000, 1, 1),
            industry_id=division.id,
        )
        project = self._accepted(blacklisted)
        self.assertEqual(project.prescreen_result, "decline")
        self.assertIn("黑名单", project.prescreen_reasons)

    def test_missing_documents_and_no_scorecard_send_to_review(self):
        self.env["guarantee.document.type"].create(
            {
                "name": "财务报表",
                "code": "T-FIN",
                "stage": "submit_review",
                "required": True,
                "company_id": self.company.id,
                "product_ids": [(4, self.products["loan"].id)],
            }
        )
        project = self._accepted(self.strong)
        self.assertEqual(project.prescreen_result, "review")
        self.assertIn("财务报表", project.prescreen_reasons)
        bond = self._accepted(self.strong, business_type="bond")
        self.assertEqual(bond.scorecard_id, self.scorecard, "company-wide version for the bond")
        self.scorecard.action_archive_version()
        unscored = self._accepted(self.strong)
        self.assertFalse(unscored.score_date)
        self.assertEqual(unscored.prescreen_result, "review")
        self.assertIn("评分卡", unscored.prescreen_reasons)

    def test_product_may_require_a_score_before_review(self):
        self.products["loan"].score_required_step = "submit_review"
        project = self._accepted(self.strong)
        project.with_user(self.pm_a).action_start_investigation()
        project.with_user(self.pm_a).action_submit_review()
        self.assertEqual(project.state, "reviewing")
        self.scorecard.action_archive_version()
        unscored = self._accepted(self.strong)
        unscored.with_user(self.pm_a).action_start_investigation()
        with self.assertRaisesExactly(
            UserError,
            r"^This step cannot be taken:\nDB\d{4}-\d{5}:\n - The product requires a score from "
            r"an active scorecard before this step\.$",
        ):
            unscored.with_user(self.pm_a).action_submit_review()

    def test_committee_sees_score_and_recommendation_in_the_review(self):
        project = self._accepted(self.weak)
        project._do_transition("start_investigation")
        project._do_transition("submit_review")
        review = self.env["guarantee.review"].create({"project_id": project.id})
        review = review.with_user(self.committee)
        self.assertEqual(review.project_score, project.score)
        self.assertEqual(review.project_grade, project.grade)
        self.assertEqual(review.project_prescreen_result, project.prescreen_result)
        self.assertTrue(review.project_prescreen_reasons)

    def test_realised_bad_rate_per_grade(self):
        weak = [self._accepted(self.weak, amount=9000000) for _i in range(3)]
        strong = [self._accepted(self.strong) for _i in range(2)]
        for project in weak + strong:
            for step in ("start_investigation", "submit_review", "approve", "contract"):
                project._do_transition(step)
            project.write(
                {"loan_release_date": "2026-01-01", "loan_amount_released": project.amount}
            )
            project._do_transition("activate")
        weak[0]._do_transition("compensate")
        weak[1]._do_transition("compensate")
        weak[2]._do_transition("release")
        strong[0]._do_transition("release")
        grade_e = self.scorecard.grade_ids.filtered(lambda g: g.name == "E")
        self.assertEqual(grade_e.realised_count, 3)
        self.assertEqual(grade_e.realised_bad, 2)
        self.assertAlmostEqual(grade_e.realised_bad_rate, 2 / 3, places=4)
        grade_strong = self.scorecard.grade_ids.filtered(lambda g: g.name == strong[0].grade)
        self.assertEqual(grade_strong.realised_bad_rate, 0.0)
        self.assertEqual(grade_strong.realised_count, 1, "a project still in force is not counted")

    def test_monthly_stability_alerts_when_the_population_shifts(self):
        self.company.guarantee_psi_alert_threshold = 0.25
        for _i in range(30):
            self._accepted(self.weak, amount=9000000)
        self.scorecard._cron_monitor()
        record = self.scorecard.psi_ids[:1]
        self.assertEqual(record.count, 30)
        self.assertGreater(record.psi, 0.25)
        self.assertTrue(record.alert)
        self.assertEqual(
            {line.characteristic_id.name for line in record.line_ids},
            {"enterprise_scale", "company_age", "amount"},
        )
        scale_line = record.line_ids.filtered(
            lambda line: line.characteristic_id.name == "enterprise_scale"
        )
        self.assertGreater(scale_line.psi, 0.25, "everyone is micro now")
        activity = self.scorecard.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.scorecard.user_id)

    def test_stable_population_raises_no_alert(self):
        self.company.guarantee_psi_alert_threshold = 0.25
        rows = project_history_rows(size=400, seed=99)
        scores = self.scorecard.score_rows(rows)
        self.assertEqual(len(scores), 400)
        # score the same kind of population through the history, as projects would be
        project = self._accepted(self.strong)
        Score = self.env["guarantee.scorecard.score"].sudo()
        bins = self.scorecard._score_with_bins(rows[0])["bin_records"]
        Score.create(
            [
                {
                    "scorecard_id": self.scorecard.id,
                    "project_id": project.id,
                    "company_id": self.company.id,
                    "score": result["score"],
                    "grade": result["grade"],
                    "pd": result["pd"],
                    "bin_ids": [(6, 0, self.scorecard._score_with_bins(row)["bin_records"].ids)],
                }
                for row, result in zip(rows, scores, strict=True)
            ]
        )
        self.assertTrue(bins)
        self.scorecard._cron_monitor()
        record = self.scorecard.psi_ids[:1]
        self.assertLess(record.psi, 0.1)
        self.assertFalse(record.alert)
        self.assertFalse(self.scorecard.activity_ids)


@tagged("post_install", "-at_install")
class TestTrainingFromHistory(RiskCase):
    def test_history_training_learns_from_finished_projects_only(self):
        # a past portfolio, created on the server without mail or the acceptance scoring
        env = self.env(
            context=dict(
                self.env.context,
                tracking_disable=True,
                mail_notrack=True,
                mail_create_nolog=True,
                guarantee_skip_scoring=SKIP_SCORING,
            )
        )
        partners = env["res.partner"].create(
            [
                {
                    "name": "历史客户%02d有限公司" % index,
                    "is_company": True,
                    "is_guarantee_customer": True,
                    "uscc": self._valid_uscc("320100", "HT%06d" % index),
                    "enterprise_scale": "micro" if index < 20 else "large",
                    "established_date": date(2024, 1, 1) if index < 20 else date(2005, 1, 1),
                }
                for index in range(40)
            ]
        )
        projects = env["guarantee.project"].create(
            [
                {
                    "company_id": self.company.id,
                    "partner_id": partner.id,
                    "product_id": self.products["loan"].id,
                    "creditor_id": self.bank.id,
                    "amount": 1000000,
                    "date_start": "2025-01-01",
                    "manager_id": self.pm_a.id,
                    "assistant_id": self.pm_b.id,
                    "loan_release_date": "2025-01-01",
                    "loan_amount_released": 1000000,
                }
                for partner in partners
            ]
        )
        # micro and young: two in three default; large and old: one in five
        outcomes = [(i % 3 != 0) if i < 20 else (i % 5 == 0) for i in range(40)]
        for step in ("accept", "start_investigation", "submit_review", "approve", "contract"):
            projects._do_transition(step)
        projects._do_transition("activate")
        bad = projects.browse([p.id for p, b in zip(projects, outcomes, strict=True) if b])
        bad._do_transition("compensate")
        (projects - bad)[:-5]._do_transition("release")
        features = self.env["guarantee.scorecard.feature"].search(
            [("code", "in", ("enterprise_scale", "company_age"))]
        )
        wizard = (
            self.env["guarantee.scorecard.train.wizard"]
            .with_user(self.risk)
            .create({"source": "history", "feature_ids": [(6, 0, features.ids)]})
        )
        scorecard = self.env["guarantee.scorecard"].browse(wizard.action_train()["res_id"])
        self.assertEqual(scorecard.source, "history")
        # five projects still in force have no known outcome
        self.assertEqual(scorecard.training_rows, 35)
        self.assertAlmostEqual(scorecard.training_bad_rate, len(bad) / 35, places=4)
        self.assertEqual(scorecard.characteristic_ids.mapped("label"), features.mapped("name"))
        self.assertGreater(scorecard.auc_test, 0.6)


@tagged("post_install", "-at_install")
class TestScorecardDemo(TransactionCase):
    def test_demo_company_has_an_active_scorecard_and_every_review_is_scored(self):
        company = self.env.ref("base.demo_company_cn", raise_if_not_found=False)
        if not company or not self.env.ref(
            "guarantee_base.project_reviewing_demo", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")
        scorecard = self.env["guarantee.scorecard"].search(
            [("company_id", "=", company.id), ("state", "=", "active")]
        )
        self.assertEqual(len(scorecard), 1)
        self.assertEqual(scorecard.source, "history")
        self.assertGreaterEqual(scorecard.training_rows, 160)
        self.assertGreater(scorecard.auc_test, 0.6)
        in_review = self.env["guarantee.project"].search(
            [("company_id", "=", company.id), ("state", "=", "reviewing")]
        )
        self.assertTrue(in_review)
        for project in in_review:
            self.assertTrue(project.score_date, project.name)
            self.assertEqual(project.scorecard_id, scorecard)
            self.assertIn(project.prescreen_result, ("pass", "review", "decline"))
            self.assertTrue(project.prescreen_reasons)
