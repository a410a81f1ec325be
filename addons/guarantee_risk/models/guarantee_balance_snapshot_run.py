from odoo import fields, models


class GuaranteeBalanceSnapshotRun(models.Model):
    """One run of the daily balance snapshot for one company, with its totals.

    It exists even when nothing was in force, which tells "the portfolio was empty that day"
    apart from "no snapshot was taken that day".
    """

    _name = "guarantee.balance.snapshot.run"
    _description = "Daily Balance Snapshot Run"
    _order = "date desc, company_id"
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    project_count = fields.Integer(string="Projects in Force", readonly=True)
    balance = fields.Monetary(string="Balance in Force", readonly=True)
    liability_balance = fields.Monetary(readonly=True)

    _sql_constraints = [
        (
            "date_company_unique",
            "unique(date, company_id)",
            "A company has one balance snapshot run per day.",
        ),
    ]

    def action_view_rows(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_risk.guarantee_balance_snapshot_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id), ("date", "=", self.date)]
        action["context"] = {}
        return action
