import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_platform.tools.connectors import ConnectorError
from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)

CHANNEL = "root.guarantee_connector"


class GuaranteeBankConnector(models.Model):
    """Statements arrive by themselves: a scheduled job per connector downloads what the
    bank booked since the last download."""

    _inherit = "guarantee.bank.connector"

    @api.model
    def _cron_download_statements(self):
        """Queue one download job per active connector (at most one waiting per connector
        and day, whatever the cron's frequency)."""
        today = fields.Date.context_today(self)
        for connector in self.sudo().search([]):
            connector.with_delay(
                channel=CHANNEL, max_retries=5,
                identity_key="guarantee-statement:%s:%s:%s" % (
                    connector.id, today, fields.Datetime.now().strftime("%H")),
                description=_("Bank statement of %(connector)s", connector=connector.name),
            )._download_statements_job()

    def _download_statements_job(self):
        """Job: download and match; retried with backoff while the bank does not answer."""
        connector = self.sudo().exists()
        if not connector.active:
            return _("The connector is archived.")
        try:
            lines = connector._download_transactions()
        except UserError as error:
            if not isinstance(error.__cause__, ConnectorError):
                raise
            raise RetryableJobError(str(error), seconds=600) from None
        matched = lines.filtered("is_reconciled")
        return _("%(count)s new statement lines, %(matched)s matched.",
                 count=len(lines), matched=len(matched))
