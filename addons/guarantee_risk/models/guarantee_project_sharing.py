from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..tools import risk_sharing
from .guarantee_project_share import OPEN_PROJECT_STATES


class GuaranteeProject(models.Model):
    """The project's split between the company and its sharing parties.

    ``own_share`` follows from the split: 100 − the shares its agreements cover. A project
    with no share lines keeps the own share it was given (a ledger import, which records the
    自留比例 but not the agreements, or a project from before risk sharing was recorded);
    once it has lines, the own share is computed and cannot be typed.
    """

    _inherit = "guarantee.project"

    share_ids = fields.One2many("guarantee.project.share", "project_id", string="Risk Split")
    share_filing_ids = fields.One2many(
        "guarantee.share.filing", "project_id", string="Filings"
    )
    own_share = fields.Float(
        compute="_compute_own_share", store=True, readonly=False,
        help="Share of the risk the company keeps: 100 − the shares its risk-sharing "
        "agreements cover (typed only for a project without a split).",
    )
    shared_share = fields.Float(
        string="Shared (%)", compute="_compute_shared_share", digits=(16, 2),
        help="The shares its agreements actually cover.",
    )

    @api.depends("share_ids.covered", "share_ids.share")
    def _compute_own_share(self):
        for project in self:
            if project.share_ids:
                project.own_share = project._own_share_from_split()
            elif not project.own_share:
                project.own_share = 100.0

    @api.depends("share_ids.covered", "share_ids.share")
    def _compute_shared_share(self):
        for project in self:
            project.shared_share = sum(project.share_ids.filtered("covered").mapped("share"))

    @api.constrains("own_share", "share_ids")
    def _check_own_share_follows_split(self):
        for project in self.filtered("share_ids"):
            if float_compare(project.own_share, project._own_share_from_split(),
                             precision_digits=2):
                raise ValidationError(_(
                    "The own share of %(project)s follows from its risk split (%(share).2f%%): "
                    "change the split, not the own share.",
                    project=project.display_name, share=project._own_share_from_split()))

    @api.onchange("product_id")
    def _onchange_product_split(self):
        """A new application takes the product's default split."""
        if self.state in OPEN_PROJECT_STATES and not self.share_ids:
            self.share_ids = self._product_split_commands()

    # ------------------------------------------------------------------ actions

    def action_apply_product_split(self):
        """Replace the split of an open project by its product's default split."""
        for project in self:
            if project.state not in OPEN_PROJECT_STATES:
                raise UserError(_("The split of %(project)s is frozen since its review.",
                                  project=project.display_name))
            project.write({"share_ids": [Command.clear()] + project._product_split_commands()})
        return True

    # ------------------------------------------------------------------ transitions

    def _after_transition(self, step):
        super()._after_transition(step)
        if step in ("submit_review", "approve", "activate"):
            # the caps and quotas are checked again on the portfolio as it is now
            self.share_ids._check_eligibility()
        if step == "activate":
            self._create_share_filings()

    # ------------------------------------------------------------------ helpers

    def _own_share_from_split(self):
        self.ensure_one()
        try:
            return risk_sharing.own_share(self.share_ids.filtered("covered").mapped("share"))
        except ValueError:
            raise ValidationError(_(
                "The shares of %(project)s add up to 100%% or more: the company must keep "
                "part of the risk.", project=self.display_name)) from None

    def _product_split_commands(self):
        """Lines for the product's default agreements that apply to this project: every
        non-bank agreement, and a bank's agreement only when it is the project's creditor."""
        self.ensure_one()
        agreements = self.product_id.share_agreement_ids.filtered(
            lambda a: a.active and (a.kind != "bank" or a.partner_id == self.creditor_id))
        return [Command.create({"agreement_id": agreement.id, "share": agreement.share})
                for agreement in agreements]

    def _after_split_change(self):
        """The split moved: a project left without lines keeps 100%, and the exposure
        ledger follows the own share in this transaction."""
        bare = self.filtered(lambda p: not p.share_ids and p.own_share != 100.0
                             and p.state in OPEN_PROJECT_STATES)
        if bare:
            bare.sudo()._unlocked().write({"own_share": 100.0})
        if self:
            self.env["guarantee.exposure"].sudo()._refresh_partners(self.partner_id)

    def _create_share_filings(self):
        """The loan is released: each covered line whose agreement files projects is listed
        for filing, with its deadline counted from the release."""
        Filing = self.env["guarantee.share.filing"].sudo()._unlocked()
        vals_list = []
        for project in self:
            filed = project.share_filing_ids.agreement_id
            for line in project.share_ids.filtered(
                    lambda s: s.eligible and s.agreement_id.filing_required):
                if line.agreement_id in filed:
                    continue
                start = project.loan_release_date or fields.Date.context_today(self)
                vals_list.append({
                    "project_id": project.id,
                    "agreement_id": line.agreement_id.id,
                    "date_deadline": fields.Date.add(start, days=line.agreement_id.filing_days),
                })
        return Filing.create(vals_list)
