from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    """An opportunity becomes a guarantee application with one button."""

    _inherit = "crm.lead"

    guarantee_product_id = fields.Many2one("guarantee.product", string="Guarantee Product")
    guarantee_amount = fields.Monetary(
        string="Requested Guarantee Amount",
        currency_field="company_currency",
        help="When empty, the expected revenue is taken as the amount to guarantee.",
    )
    guarantee_project_id = fields.Many2one(
        "guarantee.project", string="Guarantee Application", readonly=True, copy=False
    )

    def action_create_guarantee_project(self):
        """Create the draft guarantee project from the lead: customer, amount, product and
        the salesperson as A-role (the user who creates it, if someone else, as B-role)."""
        self.ensure_one()
        self._check_can_create_guarantee_project()
        if not self.partner_id:
            self._handle_partner_assignment(create_missing=True)
        customer = self.partner_id.commercial_partner_id
        if not customer.is_guarantee_customer:
            # Flagging the customer is part of registering the application; project
            # managers may not edit partners that are not yet their guarantee customers.
            customer.sudo().is_guarantee_customer = True
        manager = self.user_id or self.env.user
        project = self.env["guarantee.project"].create(
            {
                "partner_id": customer.id,
                "product_id": self.guarantee_product_id.id,
                "amount": self.guarantee_amount or self.expected_revenue,
                "currency_id": self.company_currency.id or self.env.company.currency_id.id,
                "company_id": self.company_id.id or self.env.company.id,
                "manager_id": manager.id,
                "assistant_id": self.env.user.id if self.env.user != manager else False,
                "purpose": self.name,
                "lead_id": self.id,
            }
        )
        self.guarantee_project_id = project
        return self.action_open_guarantee_project()

    def action_open_guarantee_project(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.project",
            "res_id": self.guarantee_project_id.id,
            "view_mode": "form",
        }

    def _check_can_create_guarantee_project(self):
        reasons = []
        if self.guarantee_project_id:
            reasons.append(
                _(
                    "The guarantee application %(project)s was already created from this lead.",
                    project=self.guarantee_project_id.display_name,
                )
            )
        if not (self.partner_id or self.partner_name or self.contact_name):
            reasons.append(_("The lead has no customer."))
        if (self.guarantee_amount or self.expected_revenue) <= 0:
            reasons.append(
                _("The lead has no amount: enter the requested guarantee amount.")
            )
        if not self.guarantee_product_id:
            reasons.append(_("Choose the guarantee product on the lead."))
        if reasons:
            raise UserError(
                _(
                    "The guarantee application cannot be created:\n - %(reasons)s",
                    reasons="\n - ".join(reasons),
                )
            )
