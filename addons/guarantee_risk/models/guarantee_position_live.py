from odoo import fields, models


class GuaranteePositionLive(models.Model):
    """What each project in force contributes to today's portfolio aggregates, as of its
    last change: the aggregates are moved by the difference between this and what the project
    contributes after a change. Written by SQL only (guarantee.position.aggregate)."""

    _name = "guarantee.position.live"
    _description = "Portfolio Aggregate Contribution"
    _order = "project_id"
    _rec_name = "project_id"

    project_id = fields.Many2one(
        "guarantee.project", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    product_id = fields.Many2one("guarantee.product", readonly=True)
    manager_id = fields.Many2one("res.users", readonly=True)
    business_type = fields.Char(readonly=True)
    weight_category = fields.Char(readonly=True)
    region_id = fields.Many2one("res.country.state", readonly=True)
    city_id = fields.Many2one("res.city", readonly=True)
    industry_section_id = fields.Many2one("res.partner.industry", readonly=True)
    risk_class = fields.Char(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(readonly=True)
    liability_balance = fields.Monetary(readonly=True)

    _sql_constraints = [
        ("project_unique", "unique(project_id)", "A project contributes once."),
    ]
