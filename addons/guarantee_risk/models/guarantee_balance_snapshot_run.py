from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# A back-fill writes at most this many days at once (ten years of month ends, or a year of
# days): a typo in a date should not start hours of work.
MAX_BACKFILL_DAYS = 400


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

    @api.model
    def _backfill(self, date_from, date_to, step="month", companies=None):
        """Write the snapshots of the past days from ``date_from`` to ``date_to`` (each month
        end, or each day with ``step="day"``) from the projects' history, for ``companies``
        (all by default); today's snapshot is never touched. Returns the runs written."""
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if date_from > date_to:
            raise UserError(_("The back-fill starts after it ends."))
        if date_to >= fields.Date.context_today(self):
            raise UserError(_("A back-fill ends before today; today's snapshot is taken by "
                              "the daily job."))
        days = self._backfill_days(date_from, date_to, step)
        if len(days) > MAX_BACKFILL_DAYS:
            raise UserError(_("A back-fill writes at most %(count)s days at once.",
                              count=MAX_BACKFILL_DAYS))
        companies = companies or self.env["res.company"].sudo().search([])
        Snapshot = self.env["guarantee.balance.snapshot"].sudo()
        for day in days:
            Snapshot._write_history(day, companies)
        return self.sudo().search([("date", "in", days), ("company_id", "in", companies.ids)])

    @api.model
    def _backfill_days(self, date_from, date_to, step):
        """The month ends (``month``) or days (``day``) from ``date_from`` to ``date_to``."""
        if step == "day":
            return [date_from + relativedelta(days=n)
                    for n in range((date_to - date_from).days + 1)]
        days = []
        day = date_from + relativedelta(day=31)
        while day <= date_to:
            days.append(day)
            day = (day + relativedelta(days=1)) + relativedelta(day=31)
        return days

    @api.readonly
    def action_view_rows(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_risk.guarantee_balance_snapshot_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)] + self.env[
            "guarantee.balance.snapshot"]._valid_on_domain(self.date)
        action["context"] = {}
        return action
