from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Only the partner API's own code can put this object in a context (JSON-RPC sends strings,
# numbers, lists and dicts): the proof that a project is created by the API.
API_SUBMISSION = object()
_API_FIELDS = ("api_source_partner_id", "api_applicant_name", "api_applicant_unverified")


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    api_source_partner_id = fields.Many2one(
        "res.partner", string="Submitted Through API By", readonly=True, copy=False,
        index=True, tracking=True,
        help="The bank or platform that submitted this application through the partner API.",
    )
    api_applicant_name = fields.Char(
        string="Applicant Name as Submitted", readonly=True, copy=False,
        help="The name the partner gave for the applicant; the API shows it this name.",
    )
    api_applicant_unverified = fields.Boolean(
        string="Applicant to Verify", readonly=True, copy=False, index=True, tracking=True,
        help="The partner gave the USCC or ID number of an existing customer it had not applied "
        "for before. The application is held: nobody at the partner learns the customer's "
        "data, and it goes no further until its A-role (the customer's own manager) confirms "
        "that the partner acts for the customer.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("guarantee_api_submission") is not API_SUBMISSION and any(
            vals.get(name) for vals in vals_list for name in _API_FIELDS
        ):
            raise UserError(_("Only the partner API records who submitted an application."))
        return super().create(vals_list)

    def _lock_action_field_names(self):
        return super()._lock_action_field_names() | set(_API_FIELDS)

    def _transition_blockers(self, step, **options):
        blockers = super()._transition_blockers(step, **options)
        if step == "accept" and self.api_applicant_unverified:
            blockers.append(_(
                "%(partner)s applied for an existing customer it had not applied for before: "
                "the A-role confirms with the customer that %(partner)s acts for it (Confirm "
                "Applicant), or cancels the application.",
                partner=self.api_source_partner_id.display_name))
        return blockers

    def action_api_confirm_applicant(self):
        """The A-role, who manages the customer, confirms that the partner acts for it: the
        partner's next applications for this customer are matched to it."""
        self.check_access("write")
        for project in self:
            if project.manager_id != self.env.user:
                raise UserError(_(
                    "Only the A-role of %(project)s confirms its applicant.",
                    project=project.display_name))
        unverified = self.filtered("api_applicant_unverified")
        unverified._unlocked().write({"api_applicant_unverified": False})
        for project in unverified:
            project.message_post(body=_(
                "%(user)s confirmed that %(partner)s acts for %(customer)s.",
                user=self.env.user.name, partner=project.api_source_partner_id.display_name,
                customer=project.partner_id.display_name))
        return True
