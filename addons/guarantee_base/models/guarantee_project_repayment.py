from odoo import fields, models


class GuaranteeProjectRepayment(models.Model):
    """还款记录: one principal repayment of a project with the day it was repaid, so that the
    balance of any past day can be rebuilt (``guarantee.project._balance_on``). The project's
    ``principal_repaid`` stays the running total; rows are written only by
    ``guarantee.project._record_repayment``."""

    _name = "guarantee.project.repayment"
    _description = "Principal Repayment"
    _order = "date desc, id desc"
    _rec_name = "project_id"

    project_id = fields.Many2one(
        "guarantee.project", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    date = fields.Date(string="Repayment Date", required=True, readonly=True, index=True)
    amount = fields.Monetary(required=True, readonly=True, currency_field="currency_id")
    reason = fields.Text(readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, default=lambda self: self.env.user
    )
