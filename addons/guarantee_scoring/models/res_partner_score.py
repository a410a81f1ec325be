from odoo import _, fields, models
from odoo.exceptions import UserError

from .guarantee_project_score import SCORE_TOKEN

PARTNER_SCORE_FIELDS = {
    "guarantee_score",
    "guarantee_score_grade",
    "guarantee_score_pd",
    "guarantee_score_date",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    licence_expiry_date = fields.Date(
        string="Licence Valid Until",
        help="Expiry of the business licence (营业执照); empty means long-term.",
    )
    guarantee_score = fields.Float(string="Score", digits=(16, 2), readonly=True, copy=False)
    guarantee_score_grade = fields.Char(string="Score Grade", readonly=True, copy=False)
    guarantee_score_pd = fields.Float(string="Score PD", digits=(16, 4), readonly=True, copy=False)
    guarantee_score_date = fields.Datetime(string="Scored On", readonly=True, copy=False)

    def write(self, vals):
        if PARTNER_SCORE_FIELDS & set(vals) and (
            self.env.context.get("guarantee_score") is not SCORE_TOKEN
        ):
            raise UserError(_("Scores are set only by the scoring of a project."))
        return super().write(vals)
