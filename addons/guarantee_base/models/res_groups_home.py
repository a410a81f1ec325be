from odoo import fields, models


class ResGroups(models.Model):
    """The screen a role starts its day on (its queue or dashboard), set as data per role."""

    _inherit = "res.groups"

    guarantee_home_action_id = fields.Many2one(
        "ir.actions.actions", string="Guarantee Home Action", ondelete="set null",
        help="Where the members of this role land after logging in, unless their user has a "
        "home action of its own.",
    )
    guarantee_home_priority = fields.Integer(
        string="Guarantee Home Priority", default=100,
        help="A user in several roles lands on the home action of the role with the lowest "
        "priority.",
    )
