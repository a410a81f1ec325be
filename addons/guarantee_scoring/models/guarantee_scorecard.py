import base64
import json
import logging

from psycopg2 import OperationalError

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_platform.tools import tabular

from ..tools import scorecard as engine

_logger = logging.getLogger(__name__)

SCORECARD_STATES = [("draft", "Draft"), ("active", "Active"), ("archived", "Archived")]

# Fields still written on an active or archived version (its responsible, who receives the
# stability alerts, and a note); everything else (bins, points, scale, figures) is frozen once
# a version is active. The state and its dates are written by the actions only.
OPEN_FIELDS = ("user_id", "note")
# Finished projects and projects already classed substandard or worse: their outcome is known.
HISTORY_DOMAIN = [("score_outcome", "in", ("good", "bad"))]


class GuaranteeScorecard(models.Model):
    """评分卡: one version of a rating model, trained on history or on a file."""

    _name = "guarantee.scorecard"
    _description = "Scorecard Version"
    _inherit = ["mail.thread", "mail.activity.mixin", "guarantee.lock.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _lock_action_fields = ("state", "date_activated", "date_archived")
    _lock_open_fields_by_state = {"active": OPEN_FIELDS, "archived": OPEN_FIELDS}
    # A trained draft is activated (the version it replaces is archived) and archived, once.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_activate": (("draft",), "active"),
        "action_archive_version": (("active",), "archived"),
    }

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    product_id = fields.Many2one(
        "guarantee.product",
        index=True,
        check_company=True,
        tracking=True,
        help="Empty: the company-wide scorecard, used for products without one of their own.",
    )
    state = fields.Selection(
        SCORECARD_STATES,
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        help="Receives the stability alerts of this version.",
    )
    note = fields.Text()
    date_activated = fields.Datetime(readonly=True, copy=False)
    date_archived = fields.Datetime(readonly=True, copy=False)
    source = fields.Selection(
        [("history", "Company History"), ("file", "Uploaded File")],
        required=True,
        default="history",
        readonly=True,
    )
    training_state = fields.Selection(
        [("queued", "Queued"), ("done", "Trained"), ("failed", "Failed")],
        default="done",
        readonly=True,
        copy=False,
    )
    training_message = fields.Text(readonly=True, copy=False)
    training_progress = fields.Integer(
        string="Training Progress (%)", readonly=True, copy=False, default=100
    )
    data_filename = fields.Char(readonly=True)
    target_column = fields.Char(readonly=True)
    test_share = fields.Float(digits=(16, 2), readonly=True, default=0.3)
    random_seed = fields.Integer(readonly=True, default=42)
    base_score = fields.Float(
        default=600.0, help="Score at which the odds good:bad are the base odds."
    )
    base_odds = fields.Float(default=50.0, help="Odds good:bad at the base score.")
    pdo = fields.Float(string="PDO", default=20.0, help="Points that double the odds.")
    intercept = fields.Float(digits=(16, 6), readonly=True)
    training_rows = fields.Integer(readonly=True)
    training_bad_rate = fields.Float(digits=(16, 4), readonly=True)
    auc_test = fields.Float(string="AUC (held-out)", digits=(16, 4), readonly=True)
    ks_test = fields.Float(string="KS (held-out)", digits=(16, 4), readonly=True)
    gini_test = fields.Float(string="Gini (held-out)", digits=(16, 4), readonly=True)
    challenger_auc_test = fields.Float(
        string="Challenger AUC (gradient boosting)",
        digits=(16, 4),
        readonly=True,
        help="AUC on the same held-out rows of a gradient-boosting model trained on the same "
        "data: what a black box would gain over the scorecard.",
    )
    training_score_edges = fields.Text(
        readonly=True, help="Deciles of the training scores (JSON): the bins of the PSI."
    )
    training_score_counts = fields.Text(
        readonly=True, help="Training rows in each decile (JSON): the expected population."
    )
    characteristic_ids = fields.One2many(
        "guarantee.scorecard.characteristic", "scorecard_id", string="Characteristics"
    )
    bin_ids = fields.One2many("guarantee.scorecard.bin", "scorecard_id", string="Bins")
    grade_ids = fields.One2many("guarantee.scorecard.grade", "scorecard_id", string="Grades")
    score_ids = fields.One2many("guarantee.scorecard.score", "scorecard_id", string="Scores")
    psi_ids = fields.One2many("guarantee.scorecard.psi", "scorecard_id", string="Stability")
    psi_last = fields.Float(
        string="Last PSI",
        digits=(16, 4),
        compute="_compute_psi_last",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("psi_ids.psi")
    def _compute_psi_last(self):
        for scorecard in self:
            scorecard.psi_last = scorecard.psi_ids[:1].psi

    # ------------------------------------------------------------------ CRUD

    def _lock_refusal(self, kind, **params):
        """The scorecard's own words for a forged state and a frozen version."""
        if kind == "created":
            return _("A scorecard is created as a draft and activated with its button.")
        if kind == "action_fields" and "state" in params["names"]:
            return _("The state of a scorecard changes only through its buttons.")
        if kind == "frozen":
            return _(
                "An active or archived scorecard is frozen: train or copy a new draft version."
            )
        return super()._lock_refusal(kind, **params)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(scorecard.state != "draft" for scorecard in self):
            raise UserError(_("Only draft scorecards can be deleted; archive the others."))

    # ------------------------------------------------------------------ actions

    def action_activate(self):
        """Make this draft the version in use for its product (or company-wide), archiving
        the version it replaces."""
        self._check_can_activate()
        for scorecard in self:
            previous = self.search(
                [
                    ("company_id", "=", scorecard.company_id.id),
                    ("product_id", "=", scorecard.product_id.id),
                    ("state", "=", "active"),
                    ("id", "!=", scorecard.id),
                ]
            )
            previous._set_state("archived", date_archived=fields.Datetime.now())
            scorecard._set_state("active", date_activated=fields.Datetime.now())
        return True

    def action_archive_version(self):
        if any(scorecard.state != "active" for scorecard in self):
            raise UserError(_("Only an active scorecard can be archived."))
        self._set_state("archived", date_archived=fields.Datetime.now())
        return True

    def action_monitor(self):
        """Compute the population stability now (the monthly job does the same)."""
        self._check_risk_rights()
        self._monitor()
        return True

    def _check_can_activate(self):
        self._check_risk_rights()
        problems = []
        for scorecard in self:
            if scorecard.state != "draft":
                problems.append(_("%(name)s is not a draft.", name=scorecard.display_name))
            elif scorecard.training_state != "done" or not scorecard.characteristic_ids:
                problems.append(
                    _("%(name)s has not been trained successfully.", name=scorecard.display_name)
                )
            elif not scorecard.grade_ids:
                problems.append(_("%(name)s has no grade bands.", name=scorecard.display_name))
        if problems:
            raise UserError(_("The scorecard cannot be activated:\n%s", "\n".join(problems)))

    def _check_risk_rights(self):
        if not self.env.su and not (
            self.env.user.has_group("guarantee_base.group_guarantee_risk")
            or self.env.user.has_group("guarantee_base.group_guarantee_admin")
        ):
            raise UserError(_("Only risk officers and administrators manage scorecards."))

    def _check_lines_editable(self):
        if any(scorecard.state != "draft" for scorecard in self):
            raise UserError(
                _(
                    "The characteristics, bins and grades of an active or archived scorecard "
                    "are frozen."
                )
            )

    def _set_state(self, state, **values):
        self._unlocked().write(dict(values, state=state))

    # ------------------------------------------------------------------ scoring

    def score_rows(self, rows):
        """Score dicts keyed by the training columns (values as read from a CSV). Returns, in
        order, dicts ``score``, ``grade``, ``pd`` and ``reasons`` (the characteristics that
        cost most points, worst first, at most three)."""
        self.ensure_one()
        characteristics, grades, factor, offset = self._engine_model()
        results = []
        for row in rows:
            result = engine.score_row(row, characteristics, grades, factor, offset)
            del result["bins"]
            results.append(result)
        return results

    def _score_with_bins(self, row):
        """score_row's answer with the bin records hit (for the history and the stability)."""
        self.ensure_one()
        characteristics, grades, factor, offset = self._engine_model()
        result = engine.score_row(row, characteristics, grades, factor, offset)
        result["bin_records"] = self.env["guarantee.scorecard.bin"].browse(
            [
                spec["bin_ids"][index]
                for spec, index in zip(characteristics, result["bins"], strict=True)
            ]
        )
        return result

    def _reason_labels(self, names):
        """The characteristics ``names`` (reason codes of a score) in words, in Chinese when
        installed: the catalogue's feature names, else the label kept at training. The label
        was copied in the language of whoever trained (often English), the catalogue is
        translated."""
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        features = self.env["guarantee.scorecard.feature"].sudo().with_context(lang=lang).search(
            [("code", "in", list(names))])
        labels = dict(self.characteristic_ids.mapped(lambda c: (c.name, c.label or c.name)))
        labels.update({feature.code: feature.name for feature in features})
        return [labels.get(name, name) for name in names]

    def _engine_model(self):
        """This version as the pure functions of tools/scorecard.py expect it."""
        self.ensure_one()
        characteristics = []
        for characteristic in self.characteristic_ids.sorted("sequence"):
            bins = characteristic.bin_ids.sorted("sequence")
            characteristics.append(
                {
                    "name": characteristic.name,
                    "kind": characteristic.kind,
                    "bins": [item._engine_bin() for item in bins],
                    "bin_ids": bins.ids,
                }
            )
        grades = [
            {"name": grade.name, "min_score": grade.min_score, "pd": grade.pd}
            for grade in self.grade_ids.sorted(lambda g: -g.min_score)
        ]
        factor, offset = engine.scaling(self.base_score, self.base_odds, self.pdo)
        return characteristics, grades, factor, offset

    @api.model
    def _find_active(self, company, product):
        """The version in use for ``product``: its own, else the company-wide one."""
        domain = [("company_id", "=", company.id), ("state", "=", "active")]
        return self.search(domain + [("product_id", "=", product.id)], limit=1) or self.search(
            domain + [("product_id", "=", False)], limit=1
        )

    # ------------------------------------------------------------------ training

    @api.model
    def _training_data(self, params):
        """(rows, targets, characteristics) for tools/scorecard.fit from the wizard's
        parameters: the company's projects whose outcome is known, or the rows of a file."""
        if params["source"] == "history":
            return self._history_dataset(params)
        if params.get("attachment_id"):
            content = self.env["ir.attachment"].sudo().browse(params["attachment_id"]).raw
        else:
            content = base64.b64decode(params["file_content"])
        try:
            rows = tabular.read_table(content, params.get("filename") or "")
        except tabular.TableError as error:
            raise UserError(
                _(
                    "The file cannot be read (%(why)s). Upload a CSV (UTF-8) or an XLSX file "
                    "whose first row holds the column names.",
                    why=error.detail or error.code,
                )
            ) from error
        target = params["target_column"]
        if not rows:
            raise UserError(_("The file has no data rows."))
        if target not in rows[0]:
            raise UserError(
                _(
                    "The file has no column %(column)s; its columns are: %(columns)s.",
                    column=target,
                    columns=", ".join(rows[0]),
                )
            )
        columns = params.get("columns") or [c for c in rows[0] if c != target]
        unknown = [c for c in columns if c not in rows[0]]
        if unknown:
            raise UserError(_("Unknown columns: %s", ", ".join(unknown)))
        bad_values = set(params["bad_values"])
        targets = [1 if str(row.get(target) or "").strip() in bad_values else 0 for row in rows]
        characteristics = [{"name": c, "kind": None, "monotonic": True} for c in columns]
        return rows, targets, characteristics

    @api.model
    def _history_dataset(self, params):
        domain = HISTORY_DOMAIN + [("company_id", "=", params["company_id"])]
        if params.get("product_id"):
            domain.append(("product_id", "=", params["product_id"]))
        projects = self.env["guarantee.project"].sudo().search(domain, order="id")
        rows = [project._scorecard_features() for project in projects]
        targets = [1 if project.score_outcome == "bad" else 0 for project in projects]
        characteristics = [
            {"name": f["code"], "label": f["label"], "kind": f["kind"], "monotonic": f["monotonic"]}
            for f in params["features"]
        ]
        return rows, targets, characteristics

    def _run_training(self, params):
        """Fit and store. Bad data raises a translated UserError and stores nothing."""
        self.ensure_one()
        rows, targets, characteristics = self._training_data(params)
        try:
            result = engine.fit(
                rows,
                targets,
                characteristics,
                test_share=params["test_share"],
                seed=params["random_seed"],
                base_score=self.base_score,
                base_odds=self.base_odds,
                pdo=self.pdo,
                progress=self._report_progress,
            )
        except engine.ScorecardDataError as error:
            raise UserError(self._data_error_message(error)) from error
        labels = {c["name"]: c.get("label") for c in characteristics}
        for spec in result["characteristics"]:
            spec["label"] = labels.get(spec["name"])
        self._apply_training(result)
        self.training_progress = 100

    def _train_job(self, params):
        """queue_job entry point: train, or keep the reason of the failure on the version."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.with_context(scorecard_job=True)._run_training(params)
        except UserError as error:
            self.write({"training_state": "failed", "training_message": str(error)})
        return True

    def _report_progress(self, percent, message):
        """Show a background training's progress while it runs: written in a cursor of its
        own, since the job's transaction commits only at the end."""
        if not self.env.context.get("scorecard_job"):
            return
        try:
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '1s'")
                cr.execute(
                    "UPDATE guarantee_scorecard SET training_progress = %s WHERE id = %s",
                    (percent, self.id),
                )
        except OperationalError:
            _logger.info("Progress of scorecard %s not shown (%s)", self.id, message)

    def _data_error_message(self, error):
        if error.code == "one_class":
            return _(
                "Training needs at least two good and two bad rows; the data has %(rows)s rows "
                "of which %(bads)s bad.",
                **error.params,
            )
        if error.code == "not_number":
            return _("The column %(column)s mixes numbers and the text %(value)s.", **error.params)
        return _("Choose at least one characteristic.")

    # ------------------------------------------------------------------ training results

    def _apply_training(self, result):
        """Store what tools/scorecard.fit returned: lines, bins, grades and figures."""
        self.ensure_one()
        Characteristic = self.env["guarantee.scorecard.characteristic"]
        Characteristic.create(
            [
                {
                    "scorecard_id": self.id,
                    "sequence": position,
                    "name": spec["name"],
                    "label": spec.get("label") or spec["name"],
                    "kind": spec["kind"],
                    "monotonic": spec["monotonic"],
                    "iv": spec["iv"],
                    "coefficient": spec["coef"],
                    "bin_ids": [
                        (0, 0, self.env["guarantee.scorecard.bin"]._values_from_engine(item, index))
                        for index, item in enumerate(spec["bins"])
                    ],
                }
                for position, spec in enumerate(result["characteristics"])
            ]
        )
        self.env["guarantee.scorecard.grade"].create(
            [
                {
                    "scorecard_id": self.id,
                    "name": band["name"],
                    "sequence": position,
                    "min_score": band["min_score"],
                    "pd": band["pd"],
                }
                for position, band in enumerate(result["grades"])
            ]
        )
        edges = engine.decile_edges(result["train_scores"])
        self.write(
            {
                "intercept": result["intercept"],
                "training_rows": result["rows"],
                "training_bad_rate": result["bad_rate"],
                "auc_test": result["auc"],
                "ks_test": result["ks"],
                "gini_test": result["gini"],
                "challenger_auc_test": result["challenger_auc"],
                "training_score_edges": json.dumps(edges),
                "training_score_counts": json.dumps(
                    engine.distribution(result["train_scores"], edges)
                ),
                "training_state": "done",
                "training_message": False,
            }
        )

    # ------------------------------------------------------------------ monitoring

    @api.model
    def _cron_monitor(self):
        """Monthly: stability of every active version against its training population."""
        self.search([("state", "=", "active")])._monitor()

    def _monitor(self):
        today = fields.Date.context_today(self)
        date_from = fields.Date.subtract(today, months=1)
        Score = self.env["guarantee.scorecard.score"].sudo()
        for scorecard in self:
            scores = Score.search([("scorecard_id", "=", scorecard.id), ("date", ">=", date_from)])
            if not scores or not scorecard.training_score_edges:
                continue
            scorecard._record_stability(scores, date_from, today)

    def _record_stability(self, scores, date_from, date_to):
        self.ensure_one()
        edges = json.loads(self.training_score_edges)
        expected = json.loads(self.training_score_counts)
        actual = engine.distribution(scores.mapped("score"), edges)
        hits = {}
        for score in scores:
            for item in score.bin_ids:
                hits[item.id] = hits.get(item.id, 0) + 1
        lines = []
        for characteristic in self.characteristic_ids:
            bins = characteristic.bin_ids
            lines.append(
                {
                    "characteristic_id": characteristic.id,
                    "psi": engine.psi(
                        bins.mapped("count_train"), [hits.get(b.id, 0) for b in bins]
                    ),
                }
            )
        record = (
            self.env["guarantee.scorecard.psi"]
            .sudo()
            .create(
                {
                    "scorecard_id": self.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "count": len(scores),
                    "psi": engine.psi(expected, actual),
                    "line_ids": [(0, 0, line) for line in lines],
                }
            )
        )
        threshold = self.company_id.guarantee_psi_alert_threshold
        if threshold and record.psi > threshold:
            record.alert = True
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(self.user_id or self.env.user).id,
                summary=_("Scorecard population shifted"),
                note=_(
                    "The population stability index of %(name)s is %(psi).3f, above the alert "
                    "threshold %(threshold).2f: check the characteristics and consider retraining.",
                    name=self.display_name,
                    psi=record.psi,
                    threshold=threshold,
                ),
            )
        return record
