from odoo import fields, models


class GuaranteeCollectionContact(models.Model):
    """What the SMS vendor reports about a text: delivered to the handset, or not."""

    _inherit = "guarantee.collection.contact"

    sms_number = fields.Char(string="Mobile", readonly=True)
    sms_message_id = fields.Char(string="SMS Message ID", readonly=True, index="btree_not_null",
                                 help="The vendor's id of the text (BizId, SerialNo).")
    delivery_state = fields.Selection(
        [("pending", "Awaiting Receipt"), ("delivered", "Delivered"), ("failed", "Not Delivered")],
        readonly=True, index="btree_not_null",
    )
    delivery_date = fields.Char(string="Delivered On", readonly=True,
                                help="As the vendor reports it (Beijing time).")
    delivery_error = fields.Char(string="Delivery Error", readonly=True)
