from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class GuaranteeScorecardTrainWizard(models.TransientModel):
    """Train a draft scorecard version from the company's finished projects or from a file
    (CSV or XLSX, first row = headers, one column the target)."""

    _name = "guarantee.scorecard.train.wizard"
    _description = "Train a Scorecard"

    name = fields.Char(string="Version Name")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    source = fields.Selection(
        [("history", "Company History"), ("file", "Uploaded File")],
        required=True,
        default="history",
    )
    data_file = fields.Binary(
        string="Data File", help="CSV or XLSX; the first row holds the headers."
    )
    data_filename = fields.Char()
    target_column = fields.Char(help="Column that tells whether the row defaulted.")
    bad_values = fields.Char(
        default="1", help="Comma-separated values of the target column that mean default."
    )
    columns = fields.Char(
        help="Comma-separated columns to use as characteristics; empty: every other column."
    )
    feature_ids = fields.Many2many(
        "guarantee.scorecard.feature",
        "guarantee_scorecard_train_wizard_feature_rel",
        "wizard_id",
        "feature_id",
        string="Characteristics",
        default=lambda self: self.env["guarantee.scorecard.feature"].search([]),
        help="Characteristics learnt from the company's projects.",
    )
    test_share = fields.Float(default=0.3, digits=(16, 2), help="Share of rows held out.")
    random_seed = fields.Integer(default=42)
    product_id = fields.Many2one(
        "guarantee.product",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Empty: a company-wide scorecard trained on every product's projects.",
    )
    base_score = fields.Float(default=600.0)
    base_odds = fields.Float(default=50.0)
    pdo = fields.Float(string="PDO", default=20.0)

    @api.constrains("test_share", "base_odds", "pdo")
    def _check_parameters(self):
        for wizard in self:
            if not 0.05 <= wizard.test_share <= 0.5:
                raise ValidationError(_("The held-out share must be between 0.05 and 0.5."))
            if wizard.base_odds <= 0 or wizard.pdo <= 0:
                raise ValidationError(_("The base odds and the PDO must be positive."))

    def action_train(self):
        """Create the draft version with its figures (trained in a background job when the
        data is large) and open it."""
        self.ensure_one()
        self.env["guarantee.scorecard"]._check_risk_rights()
        params = self._training_params()
        rows = len(self.env["guarantee.scorecard"]._training_data(params)[0])
        scorecard = self.env["guarantee.scorecard"].create(
            {
                "name": self.name or self._default_version_name(),
                "company_id": self.company_id.id,
                "product_id": self.product_id.id,
                "source": self.source,
                "data_filename": self.data_filename,
                "target_column": self.target_column,
                "test_share": self.test_share,
                "random_seed": self.random_seed,
                "base_score": self.base_score,
                "base_odds": self.base_odds,
                "pdo": self.pdo,
            }
        )
        if self.source == "file":
            params["attachment_id"] = self._keep_file(scorecard).id
            params.pop("file_content")
        threshold = self.company_id.guarantee_scorecard_queue_rows
        if threshold and rows >= threshold:
            scorecard.write({"training_state": "queued", "training_progress": 0})
            scorecard.with_delay(description=_("Train scorecard %s", scorecard.name))._train_job(
                params
            )
        else:
            scorecard._run_training(params)
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.scorecard",
            "res_id": scorecard.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ helpers

    def _default_version_name(self):
        return _(
            "%(scope)s scorecard %(date)s",
            scope=self.product_id.name or _("Company-wide"),
            date=fields.Datetime.context_timestamp(self, fields.Datetime.now()).strftime(
                "%Y-%m-%d %H:%M"
            ),
        )

    def _training_params(self):
        self.ensure_one()
        params = {
            "source": self.source,
            "company_id": self.company_id.id,
            "product_id": self.product_id.id,
            "test_share": self.test_share,
            "random_seed": self.random_seed,
        }
        if self.source == "history":
            if not self.feature_ids:
                raise UserError(_("Choose at least one characteristic."))
            params["features"] = [
                {"code": f.code, "label": f.name, "kind": f.kind, "monotonic": f.monotonic}
                for f in self.feature_ids
            ]
            return params
        if not self.data_file:
            raise UserError(_("Upload a CSV or XLSX file."))
        if not (self.target_column or "").strip():
            raise UserError(_("Name the target column."))
        bad_values = [v.strip() for v in (self.bad_values or "").split(",") if v.strip()]
        if not bad_values:
            raise UserError(_("Give at least one value of the target that means default."))
        params.update(
            {
                "file_content": self.data_file,
                "filename": self.data_filename or "",
                "target_column": self.target_column.strip(),
                "bad_values": bad_values,
                "columns": [c.strip() for c in (self.columns or "").split(",") if c.strip()],
            }
        )
        return params

    def _keep_file(self, scorecard):
        """The training file stays attached to the version it trained."""
        return self.env["ir.attachment"].create(
            {
                "name": self.data_filename or "training-data",
                "datas": self.data_file,
                "res_model": scorecard._name,
                "res_id": scorecard.id,
            }
        )
