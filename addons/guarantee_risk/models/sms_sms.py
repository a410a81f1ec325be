import logging

from odoo import fields, models

from odoo.addons.guarantee_platform.tools.connectors import ConnectorError

_logger = logging.getLogger(__name__)


class SmsSms(models.Model):
    """SMS leave through the company's guarantee SMS gateway when one is configured."""

    _inherit = "sms.sms"

    guarantee_message_id = fields.Char(
        string="Gateway Message ID", readonly=True, copy=False,
        help="The id the company's SMS gateway gave the text (for its delivery receipt).",
    )

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        gateway = self.env["guarantee.sms.gateway"]._default_for(self.env.company)
        if not gateway:
            return super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent,
                                 raise_exception=raise_exception)
        sent, failed = self.browse(), self.browse()
        # a collection step may name the vendor template its text is sent with
        template, params = self.env.context.get("guarantee_sms_template") or (None, None)
        for sms in self:
            try:
                message_id = gateway._send_sms(sms.uuid, sms.number, sms.body,
                                               template=template, params=params)
            except ConnectorError as error:
                _logger.info("SMS %s not taken by the gateway: %s", sms.id, type(error).__name__)
                if raise_exception:
                    raise
                failed |= sms
            else:
                sms.sudo().guarantee_message_id = message_id or False
                sent |= sms
        sent = sent.sudo().with_context(sms_skip_msg_notification=True)
        failed = failed.sudo().with_context(sms_skip_msg_notification=True)
        sent.sms_tracker_id._action_update_from_sms_state("pending")
        sent.write({"state": "pending", "failure_type": False, "to_delete": unlink_sent})
        failed.sms_tracker_id._action_update_from_sms_state("error", failure_type="sms_server")
        failed.write({"state": "error", "failure_type": "sms_server", "to_delete": unlink_failed})
        (sent | failed).mail_message_id._notify_message_notification_update()
