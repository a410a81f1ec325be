from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    financial_statement_ids = fields.One2many(
        "guarantee.financial.statement", "partner_id", string="Financial Statements"
    )
    financial_statement_count = fields.Integer(compute="_compute_financial_statement_count")

    @api.depends("financial_statement_ids")
    def _compute_financial_statement_count(self):
        counts = dict(
            self.env["guarantee.financial.statement"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.financial_statement_count = counts.get(partner, 0)

    @api.readonly
    def action_view_financial_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_risk.guarantee_financial_statement_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
