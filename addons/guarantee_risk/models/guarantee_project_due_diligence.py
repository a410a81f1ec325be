from odoo import api, fields, models


class GuaranteeProject(models.Model):
    """The due diligence of a project: the customer's statements and measurements, and the
    report of the A-role and the B-role."""

    _inherit = "guarantee.project"

    due_diligence_report_ids = fields.One2many(
        "guarantee.due.diligence.report", "project_id", string="Due-Diligence Reports"
    )
    due_diligence_report_id = fields.Many2one(
        "guarantee.due.diligence.report",
        string="Signed Due-Diligence Report",
        compute="_compute_due_diligence_report_id",
        store=True,
    )
    financial_statement_count = fields.Integer(
        related="partner_id.financial_statement_count", string="Statements"
    )
    statement_requested_for = fields.Date(
        string="Statements Asked For", readonly=True, copy=False,
        help="Period end of the last statements post-loan monitoring asked for.",
    )

    @api.depends("due_diligence_report_ids.state")
    def _compute_due_diligence_report_id(self):
        for project in self:
            signed = project.due_diligence_report_ids.filtered(lambda r: r.state == "signed")
            project.due_diligence_report_id = signed.sorted("date")[-1:]

    @api.readonly
    def action_view_due_diligence_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_risk.guarantee_due_diligence_report_action"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        return action

    @api.readonly
    def action_view_financial_statements(self):
        self.ensure_one()
        return self.partner_id.action_view_financial_statements()
