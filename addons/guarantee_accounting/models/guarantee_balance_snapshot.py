from odoo import api, fields, models


class GuaranteeBalanceSnapshot(models.Model):
    _inherit = "guarantee.balance.snapshot"

    @api.model
    def _take_snapshot(self, date, companies=None):
        """The day's snapshot also rewrites the day's flow aggregates from their records
        (whatever reached the tables without the ORM that day is in them by night)."""
        runs = super()._take_snapshot(date, companies)
        Aggregate = self.env["guarantee.flow.aggregate"].sudo()
        Aggregate._flush_sources()
        Aggregate._refresh_days({fields.Date.to_date(date)})
        return runs
