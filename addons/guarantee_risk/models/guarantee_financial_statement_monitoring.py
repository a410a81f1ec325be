"""Post-loan monitoring of customers' statements (保后管理): ask for the statements of each
period, and warn when a ratio of a confirmed statement crosses a warning rule's threshold."""

import datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

PERIOD_MONTHS = {"annual": 12, "semiannual": 6, "quarterly": 3}


def last_period_end(today, frequency):
    """The end of the last period closed before ``today``: 31 December for annual
    statements, 30 June / 31 December for half years, quarter ends for quarters."""
    months = PERIOD_MONTHS[frequency]
    end_month = ((today.month - 1) // months) * months
    if end_month == 0:
        return datetime.date(today.year - 1, 12, 31)
    return datetime.date(today.year, end_month, 1) + relativedelta(months=1, days=-1)


def chinese_env(env):
    """``env`` in Chinese when it is installed: warnings, requests and reports are kept as
    text in the language of the regulator and the committee."""
    lang = "zh_CN" if env["res.lang"]._lang_get("zh_CN") else env.lang
    return env(context=dict(env.context, lang=lang))


class GuaranteeFinancialStatement(models.Model):
    _inherit = "guarantee.financial.statement"

    def _after_confirm(self):
        super()._after_confirm()
        self._raise_ratio_warnings()
        self._close_statement_requests()

    def _raise_ratio_warnings(self):
        """One warning per project in force of the customer and per warning rule whose
        threshold a ratio crosses (none while the same warning is still open)."""
        rules = self.env["guarantee.warning.rule"].sudo().search([
            ("signal_type", "=", "financial_ratio"), ("ratio", "!=", False),
            ("company_id", "in", self.company_id.ids),
        ])
        if not rules:
            return
        Signal = self.env["guarantee.risk.signal"].sudo()._unlocked()
        projects = self.env["guarantee.project"].sudo().search(
            [("partner_id", "in", self.partner_id.ids), ("state", "=", "active")]
        )
        open_keys = {
            (signal.project_id.id, signal.ratio)
            for signal in Signal.search([
                ("project_id", "in", projects.ids), ("signal_type", "=", "financial_ratio"),
                ("state", "in", ("new", "acknowledged")),
            ])
        }
        values = self.env["guarantee.financial.ratio"]._values_by_statement(self)
        vals_list = []
        for statement in self:
            company_rules = rules.filtered(lambda r, s=statement: r.company_id == s.company_id)
            for rule in company_rules.sorted(lambda r: (r.sequence, r.id)):
                value = values[statement.id].get(rule.ratio)
                if not rule._ratio_crossed(value):
                    continue
                for project in projects.filtered(lambda p, s=statement: p.partner_id ==
                                                 s.partner_id):
                    if (project.id, rule.ratio) in open_keys:
                        continue
                    open_keys.add((project.id, rule.ratio))
                    vals_list.append(statement._ratio_signal_values(project, rule, value))
        if vals_list:
            Signal.create(vals_list)

    def _ratio_signal_values(self, project, rule, value):
        env = chinese_env(self.env)
        labels = dict(env["guarantee.warning.rule"]._fields["ratio"]._description_selection(env))
        return {
            "project_id": project.id,
            "partner_id": self.partner_id.id,
            "signal_type": "financial_ratio",
            "kind": "financial",
            "ratio": rule.ratio,
            "financial_statement_id": self.id,
            "source": env._("Financial statements"),
            "date": fields.Date.context_today(self),
            "description": env._(
                "%(customer)s, statement of %(date)s: %(ratio)s %(value).2f is %(side)s the "
                "warning threshold %(threshold).2f.",
                customer=self.partner_id.name, date=self.date_end,
                ratio=labels.get(rule.ratio, rule.ratio), value=value,
                side=env._("above") if rule.ratio_operator == "above" else env._("below"),
                threshold=rule.ratio_threshold,
            ),
        }

    def _close_statement_requests(self):
        """The statements asked for have come: the requests on the projects are done."""
        activity_type = self.env.ref(
            "guarantee_risk.mail_activity_type_financial_statements", raise_if_not_found=False
        )
        if not activity_type:
            return
        projects = self.env["guarantee.project"].sudo().search(
            [("partner_id", "in", self.partner_id.ids)]
        )
        activities = self.env["mail.activity"].sudo().search([
            ("res_model", "=", "guarantee.project"), ("res_id", "in", projects.ids),
            ("activity_type_id", "=", activity_type.id),
        ])
        if activities:
            activities.action_feedback(
                feedback=self.env._("Statements received: %(statements)s",
                                    statements=", ".join(self.mapped("display_name")))
            )

    @api.model
    def _cron_request_statements(self):
        """Ask the A-role of each project in force for the customer's statements of the last
        closed period (company setting: annual, half-yearly or quarterly), once per period."""
        activity_type = self.env.ref("guarantee_risk.mail_activity_type_financial_statements")
        env = chinese_env(self.env)
        today = fields.Date.context_today(self)
        Project = self.env["guarantee.project"].sudo()
        for company in self.env["res.company"].sudo().search([]):
            period_end = last_period_end(today, company.guarantee_statement_frequency)
            projects = Project.search([
                ("company_id", "=", company.id), ("state", "=", "active"),
                "|", ("statement_requested_for", "=", False),
                ("statement_requested_for", "<", period_end),
            ])
            if not projects:
                continue
            received = set(self.sudo().search([
                ("partner_id", "in", projects.partner_id.ids), ("date_end", ">=", period_end),
            ]).partner_id.ids)
            deadline = period_end + relativedelta(days=company.guarantee_statement_due_days)
            to_ask = projects.filtered(lambda p, got=received: p.partner_id.id not in got)
            for project in to_ask.filtered("manager_id"):
                project.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=max(deadline, today),
                    user_id=project.manager_id.id,
                    summary=env._("Statements to %(date)s due", date=period_end),
                    note=env._(
                        "Collect the financial statements of %(customer)s to %(date)s and enter "
                        "or import them.", customer=project.partner_id.name, date=period_end,
                    ),
                )
            projects.write({"statement_requested_for": period_end})
