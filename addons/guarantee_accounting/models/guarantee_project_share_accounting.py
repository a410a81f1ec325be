from odoo import api, fields, models

from odoo.addons.guarantee_platform.tools.money import fen_float


class GuaranteeProject(models.Model):
    """The company's own compensation receivable once the sharing parties have taken theirs,
    and the re-guarantee fees of the agreements covering the project."""

    _inherit = "guarantee.project"

    share_claim_ids = fields.One2many(
        "guarantee.share.claim", "project_id", string="Risk-Sharing Claims"
    )
    share_fee_ids = fields.One2many(
        "guarantee.share.fee", "project_id", string="Re-guarantee Fees"
    )
    share_claimed_amount = fields.Monetary(
        string="Borne by Sharing Parties", compute="_compute_compensation_figures",
        currency_field="currency_id",
        help="Claims the sharing parties accepted, less what they finally did not pay.",
    )
    share_returned_amount = fields.Monetary(
        string="Recoveries Shared Back", compute="_compute_compensation_figures",
        currency_field="currency_id",
    )

    @api.depends(
        "compensation_ids.state", "compensation_ids.total", "recovery_ids.state",
        "recovery_ids.amount", "loss_ids.state", "loss_ids.amount",
        "share_claim_ids.state", "share_claim_ids.amount_accepted",
        "share_claim_ids.shortfall_amount", "recovery_ids.share_return_ids.state",
    )
    def _compute_compensation_figures(self):
        """应收代偿款 of the company: compensations paid − claims the parties accepted (and
        did not fall short of) − its own part of recoveries − losses written off."""
        super()._compute_compensation_figures()
        claims = self.env["guarantee.share.claim"].sudo()._read_group(
            [("project_id", "in", self.ids), ("move_id", "!=", False)],
            ["project_id"], ["amount_accepted:sum", "shortfall_amount:sum"])
        claimed = {project: accepted - short for project, accepted, short in claims}
        returned = dict(self.env["guarantee.share.return"].sudo()._read_group(
            [("project_id", "in", self.ids), ("state", "!=", "cancelled")],
            ["project_id"], ["amount:sum"]))
        for project in self:
            project.share_claimed_amount = claimed.get(project, 0.0)
            project.share_returned_amount = returned.get(project, 0.0)
            project.compensation_receivable = fen_float(
                project.compensation_receivable - project.share_claimed_amount
                + project.share_returned_amount)

    def _after_transition(self, step):
        super()._after_transition(step)
        if step == "activate":
            self._schedule_share_fees()

    def _schedule_share_fees(self):
        """The re-guarantee fees of the agreements covering these projects in force."""
        return self.env["guarantee.share.fee"]._schedule_for(self)
