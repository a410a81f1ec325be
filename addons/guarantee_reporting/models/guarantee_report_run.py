import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfFontError

from ..tools.management_pdf import build_management_pdf

REPORT_KINDS = [
    ("daily", "Daily Report"),
    ("weekly", "Weekly Report"),
    ("monthly", "Monthly Report"),
    ("regulatory", "Regulatory Monthly Report"),
]
REPORT_ORIGINS = [
    ("scheduled", "Scheduled"),
    ("on_demand", "On Demand"),
]
XLSX_REPORT = "guarantee_reporting.guarantee_report_run_xlsx"


class GuaranteeReportRun(models.Model):
    """One generated report: its period, its files (kept for good, downloadable again) and
    to whom it was sent."""

    _name = "guarantee.report.run"
    _description = "Generated Guarantee Report"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(REPORT_KINDS, required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(string="Period From", required=True, readonly=True)
    date_to = fields.Date(string="Period To", required=True, readonly=True, index=True)
    xlsx_file = fields.Binary(string="Excel File", attachment=True, readonly=True)
    xlsx_filename = fields.Char(readonly=True)
    pdf_file = fields.Binary(string="PDF File", attachment=True, readonly=True)
    pdf_filename = fields.Char(readonly=True)
    recipient_ids = fields.Many2many(
        "res.partner", string="Sent To", readonly=True,
        relation="guarantee_report_run_partner_rel",
    )
    date_sent = fields.Datetime(string="Sent On", readonly=True)
    origin = fields.Selection(REPORT_ORIGINS, required=True, readonly=True,
                              default="scheduled", index=True)
    requested_by_id = fields.Many2one("res.users", string="Requested By", readonly=True)

    _sql_constraints = [
        ("period_unique", "unique(company_id, kind, date_from, date_to)",
         "This report was already generated for the period."),
    ]

    @api.depends("kind", "date_from", "date_to")
    def _compute_name(self):
        """In the report's language (Chinese when installed), whoever generates it:
        月报 2026年11月01日至2026年11月30日."""
        for run in self:
            env = run.with_context(lang=run._report_lang()).env
            label = dict(run._fields["kind"]._description_selection(env)).get(run.kind, "")
            run.name = "%s %s" % (label, run._period_text(env))

    def _period_text(self, env=None):
        """The period in the report language's date format (2026年11月30日, or two dates)."""
        self.ensure_one()
        env = env or self.with_context(lang=self._report_lang()).env
        if not (self.date_from and self.date_to):
            return ""
        if self.date_from == self.date_to:
            return format_date(env, self.date_to)
        return env._("%(date_from)s to %(date_to)s", date_from=format_date(env, self.date_from),
                     date_to=format_date(env, self.date_to))

    # ------------------------------------------------------------------ generation

    @api.model
    def _period_of(self, kind, day):
        """The period that a report of ``kind`` generated on ``day`` covers, or None when
        ``day`` is not its generation day: yesterday for the daily report, last week on
        Mondays, last month on the first of the month."""
        yesterday = day - timedelta(days=1)
        if kind == "daily":
            return yesterday, yesterday
        if kind == "weekly":
            return (yesterday - timedelta(days=6), yesterday) if day.weekday() == 0 else None
        if day.day == 1:
            return yesterday.replace(day=1), yesterday
        return None

    @api.model
    def _generate(self, kind, date_from, date_to, company=None, requested_by=None):
        """Generate (once) the report of ``kind`` for the period, with its files; a period
        already generated (by the job or on demand) gives the report kept for it."""
        company = company or self.env.company
        if date_from > date_to:
            raise UserError(_("The period starts after it ends."))
        existing = self.search([("company_id", "=", company.id), ("kind", "=", kind),
                                ("date_from", "=", date_from), ("date_to", "=", date_to)])
        if existing:
            return existing
        run = self.create({"kind": kind, "date_from": date_from, "date_to": date_to,
                           "company_id": company.id,
                           "origin": "on_demand" if requested_by else "scheduled",
                           "requested_by_id": requested_by.id if requested_by else False})
        run._render_files()
        return run

    def _report_lang(self):
        return "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang

    def _render_files(self):
        """Write the XLSX (every kind) and the PDF (management reports) of the run."""
        self.ensure_one()
        run = self.with_context(lang=self._report_lang())
        # named in the report's language: 月报_2026年11月01日_2026年11月30日.xlsx
        kind_label = dict(self._fields["kind"]._description_selection(run.env))[self.kind]
        date_format = run.env["res.lang"]._get_data(code=run.env.lang).date_format
        base = "%s_%s_%s" % (kind_label, self.date_from.strftime(date_format),
                             self.date_to.strftime(date_format))
        xlsx, _format = run.env["ir.actions.report"]._render_xlsx(XLSX_REPORT, self.ids, {})
        values = {"xlsx_file": _b64(xlsx), "xlsx_filename": base + ".xlsx"}
        if self.kind != "regulatory":
            try:
                pdf = build_management_pdf(run._management_data())
            except PdfFontError as error:
                raise UserError(
                    _("The PDF cannot be made: %(reason)s", reason=str(error))
                ) from error
            values.update(pdf_file=_b64(pdf), pdf_filename=base + ".pdf")
        self.write(values)

    def _send(self):
        """E-mail the files to the recipients subscribed to this kind of report."""
        self.ensure_one()
        subscriptions = self.env["guarantee.report.subscription"].search(
            [("company_id", "=", self.company_id.id), ("kind", "=", self.kind)]
        )
        partners = subscriptions.partner_ids.filtered("email")
        if not partners:
            return
        attachments = self.env["ir.attachment"].search([
            ("res_model", "=", self._name), ("res_id", "=", self.id),
            ("res_field", "in", ("xlsx_file", "pdf_file")),
        ])
        copies = self.env["ir.attachment"].create([
            {"name": (self.pdf_filename if att.res_field == "pdf_file" else self.xlsx_filename),
             "datas": att.datas, "res_model": self._name, "res_id": self.id}
            for att in attachments
        ])
        self.message_post(
            body=_("%(report)s of %(company)s is attached.", report=self.name,
                   company=self.company_id.name),
            subject=self.name,
            partner_ids=partners.ids,
            attachment_ids=copies.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self.write({"recipient_ids": [(6, 0, partners.ids)], "date_sent": fields.Datetime.now()})

    @api.model
    def _cron_generate(self, day=None):
        """Generate and send, for every company, the reports due ``day`` (today)."""
        day = day or fields.Date.context_today(self)
        runs = self.browse()
        subscriptions = self.env["guarantee.report.subscription"].search([])
        for company, kind in {(sub.company_id, sub.kind) for sub in subscriptions}:
            period = self._period_of(kind, day)
            if not period:
                continue
            run = self.with_company(company)._generate(kind, period[0], period[1], company)
            if not run.date_sent:
                run._send()
            runs |= run
        return runs

    # ------------------------------------------------------------------ data

    def _buckets(self):
        """The sub-periods of the trend: 14 days, 12 weeks or 12 months up to the end."""
        self.ensure_one()
        end = self.date_to
        if self.kind == "daily":
            return [(end - timedelta(days=n), end - timedelta(days=n)) for n in range(13, -1, -1)]
        if self.kind == "weekly":
            return [(end - timedelta(days=7 * n + 6), end - timedelta(days=7 * n))
                    for n in range(11, -1, -1)]
        first = end.replace(day=1)
        buckets = []
        for n in range(11, -1, -1):
            start = first - relativedelta(months=n)
            buckets.append((start, start + relativedelta(months=1) - timedelta(days=1)))
        return buckets

    def _figures_data(self):
        """Every figure the files of the run show, from ``guarantee.report.figures``."""
        self.ensure_one()
        figures = self.env["guarantee.report.figures"].with_company(self.company_id)
        company = self.company_id
        buckets = self._buckets()
        trend = figures.trend([end for _start, end in buckets], company)
        for point, (start, end) in zip(trend, buckets, strict=True):
            flows = figures._flows(dict(figures._scope(company), date_from=start, date_to=end))
            point.update(date_from=start, new=flows["new"], released=flows["released"],
                         compensation=flows["compensation"])
        return {
            "company": company.name,
            "period_text": self._period_text(),
            "format_date": lambda day: format_date(
                self.with_context(lang=self._report_lang()).env, day),
            "kind": self.kind,
            "title": self.name,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "position": figures.position(self.date_to, company),
            "period": figures.period(self.date_from, self.date_to, company),
            "by_type": figures.by_business_type(self.date_from, self.date_to, company),
            "trend": trend,
            "signals": [
                {"date": signal.date, "project": signal.project_id.name or "",
                 "partner": signal.partner_id.name or "",
                 "kind": _selection_label(signal, "kind"),
                 "severity": _selection_label(signal, "severity"),
                 "description": signal.description or ""}
                for signal in figures.new_signals(self.date_from, self.date_to, company)
            ],
        }

    def _management_data(self):
        """The figures with the labels of the management PDF, in the report's language."""
        data = self._figures_data()
        data["labels"] = management_labels(self.env)
        data["labels"]["generated"] = _("Period: %(period)s", period=data["period_text"])
        return data


def management_labels(env):
    """Every caption of the management reports, translated."""
    return {
        "key_figures": env._("Key figures"),
        "figure": env._("Figure"),
        "value": env._("Value"),
        "balance": env._("Balance in force"),
        "liability_balance": env._("Financing liability balance"),
        "non_financing_balance": env._("Non-financing balance"),
        "new": env._("New guarantees"),
        "released": env._("Released guarantees"),
        "compensation": env._("Compensation paid"),
        "compensation_rate": env._("Compensation rate"),
        "recovery_rate": env._("Recovery rate"),
        "loss_rate": env._("Loss rate"),
        "npl_rate": env._("Non-performing rate"),
        "leverage": env._("Leverage"),
        "overdue_fees": env._("Overdue fees"),
        "trend": env._("Trend"),
        "period": env._("Period"),
        "top10": env._("Ten largest exposures"),
        "rank": env._("No."),
        "party": env._("Party"),
        "share": env._("Share of net assets"),
        "signals": env._("New warnings"),
        "date": env._("Date"),
        "project": env._("Project"),
        "kind": env._("Kind"),
        "severity": env._("Severity"),
        "none": env._("None"),
        "unit": env._("Amounts in yuan"),
    }


def _selection_label(record, field):
    return dict(record._fields[field]._description_selection(record.env)).get(record[field], "")


def _b64(content):
    return base64.b64encode(content)
