from dateutil.relativedelta import relativedelta

from odoo import _, fields, models
from odoo.exceptions import AccessError

BACKFILL_GROUPS = ("guarantee_base.group_guarantee_finance", "guarantee_base.group_guarantee_admin")


class GuaranteeBalanceBackfillWizard(models.TransientModel):
    """Finance or the guarantee administrator rebuilds the balance snapshots of past days from
    the projects' history: a day the job missed, the months before a ledger import."""

    _name = "guarantee.balance.backfill.wizard"
    _description = "Back-fill Balance Snapshots"

    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(days=1),
    )
    step = fields.Selection(
        [("month", "Each Month End"), ("day", "Each Day")],
        string="Snapshots On",
        required=True,
        default="month",
    )

    def action_confirm(self):
        self.ensure_one()
        if not any(self.env.user.has_group(group) for group in BACKFILL_GROUPS):
            raise AccessError(
                _("Only finance and the guarantee administrator back-fill balance snapshots.")
            )
        runs = self.env["guarantee.balance.snapshot.run"]._backfill(
            self.date_from, self.date_to, self.step, companies=self.env.companies
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_risk.guarantee_balance_snapshot_run_action"
        )
        action["domain"] = [("id", "in", runs.ids)]
        return action
