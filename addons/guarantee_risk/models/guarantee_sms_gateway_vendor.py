import logging

from odoo import api, fields, models

from odoo.addons.guarantee_platform.tools.connectors import ConnectorError

from ..tools import sms_vendor_adapters  # noqa: F401  (registers the adapters)

_logger = logging.getLogger(__name__)


class GuaranteeSmsGateway(models.Model):
    """Alibaba Cloud and Tencent Cloud SMS: credentials, the company's sign name and its
    approved template, and the delivery receipts pulled back onto the contact log."""

    _inherit = "guarantee.sms.gateway"

    protocol = fields.Selection(
        selection_add=[("aliyun", "Alibaba Cloud SMS (阿里云短信)"),
                       ("tencent", "Tencent Cloud SMS (腾讯云短信)")],
        ondelete={"aliyun": "set default", "tencent": "set default"},
    )
    access_key_id = fields.Char(
        string="AccessKey ID / SecretId", secret=True, copy=False,
        help="Alibaba Cloud: the AccessKey ID (its secret goes in the API key). Tencent "
        "Cloud: the SecretId (the SecretKey goes in the API key).",
    )
    sign_name = fields.Char(string="Sign Name (签名)",
                            help="The approved signature shown in front of every text.")
    template_code = fields.Char(
        string="Default Template",
        help="The approved template texts are sent with when their step names none "
        "(Alibaba: SMS_…; Tencent: the template id).",
    )
    template_param = fields.Char(
        string="Text Variable", default="content",
        help="Alibaba: the variable of the default template that receives the whole text.",
    )
    sdk_app_id = fields.Char(string="SmsSdkAppId", help="Tencent Cloud: the SMS application.")
    region = fields.Char(help="cn-hangzhou (Alibaba) or ap-guangzhou (Tencent) when empty.")

    def _connector_username(self):
        return self.access_key_id or super()._connector_username()

    def _connector_config(self, **options):
        gateway = self.sudo()
        options.update(sign_name=gateway.sign_name or "", template_code=gateway.template_code
                       or "", template_param=gateway.template_param or "content",
                       sdk_app_id=gateway.sdk_app_id or "", region=gateway.region or "")
        return super()._connector_config(**options)

    def _send_sms(self, request_id, number, content, template=None, params=None):
        """Send one text; the vendor's message id. ``template`` and ``params`` name a
        template of the vendor's and its variables (vendor protocols only)."""
        adapter = self._connector_adapter()
        if self.protocol in ("aliyun", "tencent"):
            return adapter.send(request_id, number, content, template=template, params=params)
        return adapter.send(request_id, number, content)

    @api.model
    def _cron_pull_receipts(self):
        """Ask each vendor gateway where the texts of the last days are; record the answers
        on the contact log."""
        since = fields.Datetime.subtract(fields.Datetime.now(), days=3)
        Contact = self.env["guarantee.collection.contact"].sudo()
        for gateway in self.sudo().search([("protocol", "in", ("aliyun", "tencent"))]):
            pending = Contact.search([
                ("company_id", "=", gateway.company_id.id), ("channel", "=", "sms"),
                ("delivery_state", "=", "pending"), ("create_date", ">=", since),
            ])
            if not pending:
                continue
            try:
                gateway._record_receipts(pending)
            except ConnectorError as error:
                _logger.info("SMS gateway %s: receipts not pulled: %s", gateway.id,
                             type(error).__name__)

    def _record_receipts(self, contacts):
        adapter = self._connector_adapter()
        answers = adapter.receipts([{
            "message_id": contact.sms_message_id, "number": contact.sms_number,
            "date": contact.date,
        } for contact in contacts])
        by_id = {contact.sms_message_id: contact for contact in contacts}
        for answer in answers:
            contact = by_id.get(answer["message_id"])
            if contact:
                contact.write({
                    "delivery_state": answer["state"],
                    "delivery_date": answer["date"] or False,
                    "delivery_error": answer["error"] or False,
                })
        return len(answers)
