from odoo import _, fields, models
from odoo.exceptions import AccessError


class GuaranteeProjectLoanReleaseWizard(models.TransientModel):
    """Finance records the loan the bank released (放款登记), from the bank's release notice or
    voucher, which puts the guarantee in force."""

    _name = "guarantee.project.loan.release.wizard"
    _description = "Record a Loan Release"

    project_id = fields.Many2one("guarantee.project", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="project_id.currency_id")
    release_date = fields.Date(
        string="Loan Release Date", required=True, default=fields.Date.context_today
    )
    amount = fields.Monetary(required=True, currency_field="currency_id")
    reference = fields.Char(
        required=True, help="The bank's release notice or loan voucher number (借据号)."
    )

    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        project = self.env["guarantee.project"].browse(values.get("project_id"))
        if "amount" in fields_list and project.exists():
            values.setdefault("amount", project.amount)
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("guarantee_base.group_guarantee_finance"):
            raise AccessError(_("Only finance records the loan release."))
        self.project_id._record_loan_release(self.release_date, self.amount, self.reference)
        return {"type": "ir.actions.act_window_close"}
