import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class GuaranteeCompensation(models.Model):
    """After a compensation is paid, a claim on every party sharing the project's risk."""

    _inherit = "guarantee.compensation"

    share_claim_ids = fields.One2many(
        "guarantee.share.claim", "compensation_id", string="Risk-Sharing Claims"
    )
    share_claim_count = fields.Integer(compute="_compute_share_claim_count")

    def _compute_share_claim_count(self):
        counts = dict(self.env["guarantee.share.claim"]._read_group(
            [("compensation_id", "in", self.ids)], ["compensation_id"], ["__count"]))
        for compensation in self:
            compensation.share_claim_count = counts.get(compensation, 0)

    def _guarantee_on_paid(self, date):
        result = super()._guarantee_on_paid(date)
        for compensation in self:
            # the bank has paid: a claim that cannot be computed now is left to finance
            # (the button below), it never undoes the payment
            try:
                with self.env.cr.savepoint():
                    self.env["guarantee.share.claim"].sudo()._create_for(compensation)
            except (UserError, ValidationError) as error:
                _logger.info("Claims of %s not computed: %s", compensation.name, error)
                compensation.sudo().message_post(body=_(
                    "The risk-sharing claims could not be computed: %(error)s", error=error))
        return result

    def action_create_share_claims(self):
        """Compute the claims of a paid compensation again (agreements claimed already are
        left as they are)."""
        if any(compensation.state != "paid" for compensation in self):
            raise UserError(_("Claims follow a paid compensation."))
        self.env["guarantee.share.claim"]._create_for(self)
        return self.action_view_share_claims()

    @api.readonly
    def action_view_share_claims(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Risk-Sharing Claims"),
            "res_model": "guarantee.share.claim",
            "view_mode": "list,form",
            "domain": [("compensation_id", "in", self.ids)],
        }
