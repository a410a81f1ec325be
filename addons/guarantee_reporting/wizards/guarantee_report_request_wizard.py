from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.guarantee_report_run import REPORT_KINDS

REPORT_FORMATS = [("xlsx", "Excel"), ("pdf", "PDF")]


class GuaranteeReportRequestWizard(models.TransientModel):
    """A report on demand: the readers of the generated reports (risk, finance, executives,
    the guarantee administrator) choose its kind, period and format. The report is kept with
    the scheduled ones (guarantee.report.run): a period generated already, by the job or on
    demand, gives the same report."""

    _name = "guarantee.report.request.wizard"
    _description = "Generate a Report on Demand"

    kind = fields.Selection(REPORT_KINDS, required=True, default="monthly")
    date_from = fields.Date(string="Period From", required=True,
                            compute="_compute_period", store=True, readonly=False,
                          precompute=True)
    date_to = fields.Date(string="Period To", required=True,
                          compute="_compute_period", store=True, readonly=False,
                          precompute=True)
    file_format = fields.Selection(REPORT_FORMATS, string="Format", required=True,
                                   default="xlsx")
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.company)

    @api.depends("kind")
    def _compute_period(self):
        """The last period of the kind that has ended: yesterday, last week (Monday to
        Sunday), last month."""
        today = fields.Date.context_today(self)
        yesterday = today - timedelta(days=1)
        for wizard in self:
            if wizard.kind == "daily":
                wizard.date_from = wizard.date_to = yesterday
            elif wizard.kind == "weekly":
                sunday = today - timedelta(days=today.weekday() + 1)
                wizard.date_from, wizard.date_to = sunday - timedelta(days=6), sunday
            else:
                first = today.replace(day=1)
                wizard.date_from = first - relativedelta(months=1)
                wizard.date_to = first - timedelta(days=1)

    def action_generate(self):
        """Generate (or find) the report and download the chosen file."""
        self.ensure_one()
        Run = self.env["guarantee.report.run"]
        Run.check_access("read")
        today = fields.Date.context_today(self)
        if self.date_from > self.date_to:
            raise UserError(_("The period starts after it ends."))
        if self.date_to >= today:
            raise UserError(_("A report covers days that have ended: choose a period that "
                              "ends yesterday at the latest."))
        if self.kind == "regulatory" and self.file_format == "pdf":
            raise UserError(_("The regulatory report is an Excel workbook: choose Excel."))
        if self.company_id not in self.env.user.company_ids:
            raise UserError(_("You have no access to the figures of %s.", self.company_id.name))
        # The readers may not create reports themselves (the job does): the run is written
        # as superuser, for the company and period checked above, with who asked for it.
        run = Run.sudo().with_company(self.company_id)._generate(
            self.kind, self.date_from, self.date_to, self.company_id, requested_by=self.env.user)
        run = Run.browse(run.id)
        field, filename = (("pdf_file", run.pdf_filename) if self.file_format == "pdf"
                           else ("xlsx_file", run.xlsx_filename))
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/guarantee.report.run/%d/%s/%s?download=true"
                   % (run.id, field, filename),
            "target": "download",
            "close": True,
        }
