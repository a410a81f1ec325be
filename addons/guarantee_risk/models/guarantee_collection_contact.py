from odoo import fields, models

from .guarantee_collection_step import CHANNELS


class GuaranteeCollectionContact(models.Model):
    """Every contact made (or deferred) to collect an overdue debt."""

    _name = "guarantee.collection.contact"
    _description = "Collection Contact"
    _order = "date desc, id desc"

    collection_id = fields.Many2one("guarantee.collection", required=True, index=True,
                                    ondelete="cascade")
    project_id = fields.Many2one(related="collection_id.project_id", store=True, index=True)
    partner_id = fields.Many2one(related="collection_id.partner_id", store=True)
    company_id = fields.Many2one(related="collection_id.company_id", store=True, index=True)
    step_id = fields.Many2one("guarantee.collection.step", index=True, ondelete="set null")
    channel = fields.Selection(CHANNELS, required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    day = fields.Integer(string="Day Overdue")
    state = fields.Selection(
        [("done", "Done"), ("failed", "Failed"), ("deferred", "Deferred (quiet hours)")],
        required=True, index=True,
    )
    message = fields.Text()
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    activity_user_id = fields.Many2one("res.users", string="Task For", readonly=True)
