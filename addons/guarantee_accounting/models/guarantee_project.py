from odoo import _, api, fields, models
from odoo.tools import format_amount

from ..tools import compensation_receivable


class GuaranteeProject(models.Model):
    _name = "guarantee.project"
    _inherit = ["guarantee.project", "guarantee.flow.source"]

    # the daily flow aggregates recompute a day from the records of that day
    loan_release_date = fields.Date(index=True)
    date_released = fields.Date(index=True)
    compensation_ids = fields.One2many(
        "guarantee.compensation", "project_id", string="Compensations"
    )
    recovery_ids = fields.One2many("guarantee.recovery", "project_id", string="Recoveries")
    loss_ids = fields.One2many("guarantee.loss", "project_id", string="Loss Write-offs")
    import_log_id = fields.Many2one(
        "guarantee.import.log", string="Ledger Import", readonly=True, copy=False, index=True,
        help="The ledger file this project was imported or last updated from.",
    )
    payment_order_ids = fields.One2many(
        "guarantee.payment.order", "project_id", string="Payment Orders"
    )
    compensation_amount = fields.Monetary(
        string="Compensated", compute="_compute_compensation_figures", currency_field="currency_id"
    )
    recovered_amount = fields.Monetary(
        string="Recovered", compute="_compute_compensation_figures", currency_field="currency_id"
    )
    loss_amount = fields.Monetary(
        string="Written Off", compute="_compute_compensation_figures", currency_field="currency_id"
    )
    compensation_receivable = fields.Monetary(
        compute="_compute_compensation_figures",
        currency_field="currency_id",
        help="应收代偿款: compensations paid − recoveries − losses written off.",
    )

    @api.depends(
        "compensation_ids.state", "compensation_ids.total", "recovery_ids.state",
        "recovery_ids.amount", "loss_ids.state", "loss_ids.amount",
    )
    def _compute_compensation_figures(self):
        def sums(model, state, amount_field="amount"):
            return dict(self.env[model].sudo()._read_group(
                [("project_id", "in", self.ids), ("state", "=", state)],
                ["project_id"], [amount_field + ":sum"],
            ))

        paid = sums("guarantee.compensation", "paid", "total")
        recovered = sums("guarantee.recovery", "posted")
        lost = sums("guarantee.loss", "posted")
        for project in self:
            project.compensation_amount = paid.get(project, 0.0)
            project.recovered_amount = recovered.get(project, 0.0)
            project.loss_amount = lost.get(project, 0.0)
            project.compensation_receivable = compensation_receivable(
                project.compensation_amount, project.recovered_amount, project.loss_amount
            )

    def _guarantee_compensation_excess(self):
        """Why the approved and paid compensations of these projects exceed what the company
        owes on them (reasons). What it owes: the guaranteed amount of the project (principal,
        interest and costs together), and for principal no more than the loan still
        outstanding (released − repaid); the whole loan, the sharing parties' parts being
        claimed from them afterwards."""
        if not self:
            return []
        owed = {
            project: (principal, total)
            for project, principal, total in self.env["guarantee.compensation"].sudo()
            ._read_group(
                [("project_id", "in", self.ids), ("state", "in", ("approved", "paid"))],
                ["project_id"], ["principal:sum", "total:sum"],
            )
        }
        reasons = []
        for project in self.sudo():
            principal, total = owed.get(project, (0.0, 0.0))
            outstanding = max(project.loan_amount_released - project.principal_repaid, 0.0)
            currency = project.currency_id
            if currency.compare_amounts(total, project.amount) > 0:
                reasons.append(_(
                    "The approved compensations of %(project)s total %(total)s, more than its "
                    "guaranteed amount of %(amount)s.", project=project.display_name,
                    total=format_amount(self.env, total, currency),
                    amount=format_amount(self.env, project.amount, currency)))
            if currency.compare_amounts(principal, outstanding) > 0:
                reasons.append(_(
                    "The approved compensations of %(project)s claim %(principal)s of "
                    "principal, more than the %(outstanding)s of the loan outstanding.",
                    project=project.display_name,
                    principal=format_amount(self.env, principal, currency),
                    outstanding=format_amount(self.env, outstanding, currency)))
        return reasons

    def _transition_blockers(self, step, **options):
        blockers = super()._transition_blockers(step, **options)
        if step == "close" and self.state == "compensated" and not self.currency_id.is_zero(
            self.compensation_receivable
        ):
            blockers.append(
                _("The compensation receivable of %(amount)s is still open: record recoveries "
                  "or write the loss off first.", amount=self.compensation_receivable)
            )
        return blockers

    def _discard_fees(self, fees):
        """Invoiced lines are never deleted: their invoice is credited instead."""
        invoiced = fees.filtered("invoice_id")
        if invoiced:
            invoiced.action_cancel(reason=_("fee schedule of %(project)s generated again",
                                            project=self.name))
        return super()._discard_fees(fees - invoiced)

    def _action_view(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("project_id", "=", self.id)],
            "context": {"default_project_id": self.id},
        }

    @api.readonly
    def action_view_compensations(self):
        return self._action_view("guarantee.compensation", _("Compensations"))

    @api.readonly
    def action_view_recoveries(self):
        return self._action_view("guarantee.recovery", _("Recoveries"))

    @api.readonly
    def action_view_losses(self):
        return self._action_view("guarantee.loss", _("Loss Write-offs"))
