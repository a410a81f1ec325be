from odoo import fields, models

from .guarantee_project import PROJECT_STATES


class GuaranteeProjectStateLog(models.Model):
    """When a project entered each state, and who moved it: the source of cycle times."""

    _name = "guarantee.project.state.log"
    _description = "Guarantee Project State History"
    _order = "date desc, id desc"

    project_id = fields.Many2one(
        "guarantee.project", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    state = fields.Selection(PROJECT_STATES, required=True, index=True)
    previous_state = fields.Selection(PROJECT_STATES)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, required=True)
    note = fields.Text()
    duration_days = fields.Float(
        string="Days in Previous State",
        digits=(16, 2),
        help="Days between entering the previous state and entering this one.",
    )
