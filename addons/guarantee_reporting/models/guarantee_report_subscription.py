from odoo import fields, models

from .guarantee_report_run import REPORT_KINDS


class GuaranteeReportSubscription(models.Model):
    """Who receives a kind of report by e-mail; a kind without subscription is not generated
    by the scheduled job."""

    _name = "guarantee.report.subscription"
    _description = "Guarantee Report Recipients"
    _order = "company_id, kind"
    _check_company_auto = True

    kind = fields.Selection(REPORT_KINDS, required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_ids = fields.Many2many(
        "res.partner", string="Recipients", relation="guarantee_report_subscription_partner_rel",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("kind_company_unique", "unique(kind, company_id)",
         "Each kind of report has one list of recipients per company."),
    ]
