import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CHANNELS = [
    ("sms", "SMS"),
    ("email", "E-mail"),
    ("call", "Phone Call Task"),
    ("letter", "Demand Letter (PDF)"),
    ("legal", "Legal Action Task"),
]
PLACEHOLDER = re.compile(r"\{(partner|project|amount|days|due_date|company)\}")


def fill_template(template, values):
    """Replace the named placeholders {partner}, {project}, {amount}, {days}, {due_date} and
    {company}; nothing else in the text is interpreted."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), "")), template or "")


class GuaranteeCollectionStep(models.Model):
    """One rung of the collection ladder (催收阶梯): on which day overdue, by which channel,
    with which text."""

    _name = "guarantee.collection.step"
    _description = "Collection Step"
    _order = "day, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    day = fields.Integer(string="Day Overdue", required=True,
                         help="The step runs once the debt is overdue by this many days.")
    channel = fields.Selection(CHANNELS, required=True)
    template = fields.Text(
        translate=True,
        help="Text of the message or task. Placeholders: {partner}, {project}, {amount}, "
        "{days}, {due_date}, {company}.",
    )

    @api.constrains("day")
    def _check_day(self):
        if any(step.day < 0 for step in self):
            raise ValidationError(_("The day of a collection step cannot be negative."))
