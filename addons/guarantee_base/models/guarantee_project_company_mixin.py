from odoo import api, fields, models


class GuaranteeProjectCompanyMixin(models.AbstractModel):
    """Records that belong to a project (counter-guarantees, margins, compensations…) are in
    the project's company.

    Before a project is chosen, as when such a record is entered from its own menu, the record
    is in the current company: a project field with ``check_company`` offers only the projects
    of the record's company, and would offer none to a record without one.
    """

    _name = "guarantee.project.company.mixin"
    _description = "Company of a Project's Record"

    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, precompute=True
    )

    @api.depends("project_id.company_id")
    def _compute_company_id(self):
        for record in self:
            record.company_id = record.project_id.company_id or self.env.company
