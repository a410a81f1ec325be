from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.queue_job.job import Job

from .scorecard_common import ScorecardCase


@tagged("post_install", "-at_install")
class TestScorecardTraining(ScorecardCase):
    def _one_class_wizard(self):
        """A training wizard on 50 rows that are all good: no bad row to learn from."""
        one_class = [dict(row, default="否") for row in self.rows[:50]]
        return (
            self.env["guarantee.scorecard.train.wizard"]
            .with_user(self.risk)
            .create(
                {
                    "source": "file",
                    "data_file": self._csv_bytes(one_class),
                    "data_filename": "one_class.csv",
                    "target_column": "default",
                    "bad_values": "是",
                }
            )
        )

    def test_training_from_csv_reports_sensible_held_out_figures(self):
        scorecard = self._train(name="测试评分卡")
        self.assertEqual(scorecard.state, "draft")
        self.assertEqual(scorecard.training_state, "done")
        self.assertEqual(scorecard.training_rows, 1500)
        # the data has a real signal: the held-out rows must be ranked well, not perfectly
        self.assertGreater(scorecard.auc_test, 0.7)
        self.assertLess(scorecard.auc_test, 0.95)
        self.assertGreater(scorecard.ks_test, 0.3)
        self.assertAlmostEqual(scorecard.gini_test, 2 * scorecard.auc_test - 1, places=4)
        self.assertGreater(scorecard.challenger_auc_test, 0.65)
        ivs = {c.name: c for c in scorecard.characteristic_ids}
        self.assertEqual(set(ivs), {"debt_ratio", "years", "industry", "coverage"})
        self.assertEqual(ivs["industry"].kind, "categorical")
        self.assertEqual(ivs["debt_ratio"].kind, "numeric")
        # debt ratio carries most of the signal
        self.assertEqual(max(ivs.values(), key=lambda c: c.iv).name, "debt_ratio")
        missing = ivs["coverage"].bin_ids.filtered("is_missing")
        self.assertGreater(
            missing.count_train, 300, "a third of coverage is missing, in its own bin"
        )
        self.assertEqual(scorecard.grade_ids.mapped("name"), ["A", "B", "C", "D", "E"])
        pds = scorecard.grade_ids.sorted("sequence").mapped("pd")
        self.assertEqual(pds, sorted(pds), "worse grades have higher PD")

    def test_same_data_and_seed_give_the_same_scorecard(self):
        first = self._train()
        second = self._train()
        self.assertNotEqual(first, second)
        self.assertEqual(self._snapshot(first), self._snapshot(second))
        other_seed = self._train(random_seed=7)
        self.assertNotEqual(self._snapshot(first), self._snapshot(other_seed))

    def test_xlsx_file_trains_the_same_scorecard_as_csv(self):
        from_csv = self._train()
        from_xlsx = self._train(path=self.xlsx_path)
        self.assertEqual(from_xlsx.data_filename, "credit.xlsx")
        self.assertEqual(self._snapshot(from_csv), self._snapshot(from_xlsx))

    def test_score_rows_gives_score_grade_pd_and_reasons(self):
        scorecard = self._train()
        good = {"debt_ratio": "0.05", "years": "28", "industry": "农业", "coverage": "1.9"}
        bad = {"debt_ratio": "1.45", "years": "1", "industry": "建筑业", "coverage": ""}
        results = scorecard.score_rows([good, bad, {"debt_ratio": "abc"}])
        self.assertEqual(len(results), 3)
        best, worst, odd = results
        self.assertGreater(best["score"], worst["score"] + 60)
        self.assertLess(best["pd"], worst["pd"])
        self.assertEqual(best["grade"], "A")
        self.assertEqual(worst["grade"], "E")
        self.assertEqual(len(worst["reasons"]), 3)
        self.assertIn("debt_ratio", worst["reasons"])
        self.assertEqual(best["reasons"], [], "the best row loses no points anywhere")
        # the score is the sum of the points of the bins hit, one bin per characteristic
        hit = scorecard._score_with_bins(bad)["bin_records"]
        self.assertEqual(len(hit.characteristic_id), 4)
        self.assertAlmostEqual(sum(hit.mapped("points")), worst["score"], places=2)
        # a row that cannot be read falls in the missing bins rather than failing
        self.assertIsInstance(odd["score"], float)

    def test_bad_files_are_refused_and_nothing_is_written(self):
        before = self.env["guarantee.scorecard"].search_count([])
        with self.assertRaisesExactly(
            UserError,
            r"^The file has no column default_flag; its columns are: debt_ratio, years, industry, "
            r"coverage, default\.$",
        ):
            self._train(target_column="default_flag")
        wizard = self._one_class_wizard()
        with self.assertRaisesExactly(
            UserError, "Training needs at least two good and two bad rows; the data has 50 rows of"
        ):
            wizard.action_train()
        with self.assertRaisesExactly(UserError, "Unknown columns: nonexistent"):
            self._train(columns="debt_ratio,nonexistent")
        self.assertEqual(self.env["guarantee.scorecard"].search_count([]), before)

    def test_only_risk_officers_and_admins_train(self):
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to create 'Train a Scorecard'"
        ):
            self._train(user=self.pm_a)
        self.assertTrue(self._train(user=self.gadmin))

    def test_large_data_trains_in_a_background_job(self):
        self.company.guarantee_scorecard_queue_rows = 1000
        scorecard = self._train()
        self.assertEqual(scorecard.training_state, "queued")
        self.assertFalse(scorecard.characteristic_ids)
        jobs = self.env["queue.job"].search(
            [("model_name", "=", "guarantee.scorecard"), ("method_name", "=", "_train_job")]
        )
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.records, scorecard)
        Job.load(self.env, jobs.uuid).perform()
        self.assertEqual(scorecard.training_state, "done")
        self.assertEqual(scorecard.training_progress, 100)
        self.assertGreater(scorecard.auc_test, 0.7)

    def test_a_failed_background_training_keeps_its_reason(self):
        self.company.guarantee_scorecard_queue_rows = 10
        wizard = self._one_class_wizard()
        scorecard = self.env["guarantee.scorecard"].browse(wizard.action_train()["res_id"])
        job = self.env["queue.job"].search([("method_name", "=", "_train_job")])
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(scorecard.training_state, "failed")
        self.assertIn("50", scorecard.training_message)
        self.assertFalse(scorecard.characteristic_ids)
        with self.assertRaisesExactly(
            UserError, "has not been trained successfully"
        ):
            scorecard.with_user(self.risk).action_activate()


@tagged("post_install", "-at_install")
class TestScorecardVersions(ScorecardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.products["loan"]

    def test_one_active_version_per_product_and_an_active_version_is_frozen(self):
        first = self._train(product_id=self.product.id)
        first.with_user(self.risk).action_activate()
        self.assertEqual(first.state, "active")
        with self.assertRaisesExactly(
            UserError, "The characteristics, bins and grades of an active or archived scorecard are"
        ):
            first.bin_ids[:1].with_user(self.gadmin).write({"points": 999})
        with self.assertRaisesExactly(
            UserError, "An active or archived scorecard is frozen: train or copy a new draft"
        ):
            first.with_user(self.gadmin).write({"base_score": 700})
        with self.assertRaisesExactly(
            UserError, "The state of a scorecard changes only through its buttons"
        ):
            first.with_user(self.risk).write({"state": "draft"})
        second = self._train(product_id=self.product.id)
        second.with_user(self.risk).action_activate()
        self.assertEqual(first.state, "archived")
        self.assertEqual(second.state, "active")
        company_wide = self._train()
        company_wide.with_user(self.risk).action_activate()
        self.assertEqual(second.state, "active", "the company-wide version is another scope")
        Scorecard = self.env["guarantee.scorecard"]
        self.assertEqual(Scorecard._find_active(self.company, self.product), second)
        self.assertEqual(Scorecard._find_active(self.company, self.products["bond"]), company_wide)
        with self.assertRaisesExactly(
            UserError, "Only draft scorecards can be deleted; archive the others"
        ):
            second.unlink()

    def test_an_active_version_keeps_its_responsible_and_note_open(self):
        """The allow-list of an active or archived version: its responsible (who receives the
        stability alerts) and its note change; its dates only by its actions."""
        scorecard = self._train(product_id=self.product.id)
        scorecard.with_user(self.risk).action_activate()
        scorecard.with_user(self.risk).write({"user_id": self.gadmin.id, "note": "季度复核"})
        self.assertEqual((scorecard.user_id, scorecard.note), (self.gadmin, "季度复核"))
        with self.assertRaisesExactly(
            UserError, "An active or archived scorecard is frozen: train or copy a new draft"
        ):
            scorecard.with_user(self.risk).write({"name": "改名", "note": "x"})
        with self.assertRaisesExactly(
            UserError, "“Date Archived” of Scorecard Version change only through its actions"
        ):
            scorecard.with_user(self.risk).write({"date_archived": "2026-01-01 00:00:00"})
        scorecard.with_user(self.risk).action_archive_version()
        scorecard.with_user(self.risk).write({"note": "已由新版本替代"})
        self.assertEqual((scorecard.state, scorecard.note), ("archived", "已由新版本替代"))
        with self.assertRaisesExactly(
            UserError, "An active or archived scorecard is frozen: train or copy a new draft"
        ):
            scorecard.with_user(self.risk).write({"pdo": 40.0})

    def test_admins_edit_the_points_of_a_draft_only(self):
        draft = self._train()
        item = draft.bin_ids[:1]
        item.with_user(self.gadmin).write({"points": 42})
        self.assertEqual(item.points, 42)
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Scorecard Bin'"
        ):
            item.with_user(self.risk).write({"points": 43})
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Scorecard Bin'"
        ):
            item.with_user(self.pm_a).write({"points": 43})

    def test_activation_needs_a_trained_draft_and_the_right_role(self):
        scorecard = self._train()
        with self.assertRaisesExactly(
            UserError, "Only risk officers and administrators manage scorecards"
        ):
            scorecard.with_user(self.pm_a).action_activate()
        scorecard.with_user(self.risk).action_activate()
        with self.assertRaisesExactly(
            UserError, "is not a draft"
        ):
            scorecard.with_user(self.risk).action_activate()
