from odoo import _, fields, models
from odoo.exceptions import UserError


class GuaranteeReview(models.Model):
    """The committee reads the signed due-diligence report with the vote."""

    _inherit = "guarantee.review"

    due_diligence_report_id = fields.Many2one(
        related="project_id.due_diligence_report_id", string="Due-Diligence Report"
    )
    due_diligence_signed_date = fields.Datetime(
        related="project_id.due_diligence_report_id.assistant_signed_date",
        string="Report Signed On",
    )

    def action_open_due_diligence_report(self):
        self.ensure_one()
        report = self.due_diligence_report_id
        if not report:
            raise UserError(_("The project has no signed-off due-diligence report yet."))
        return report.action_open_pdf()
