from odoo import fields, models


class GuaranteeCollectionStep(models.Model):
    """An SMS step may use an approved template of the company's SMS vendor."""

    _inherit = "guarantee.collection.step"

    sms_template_code = fields.Char(
        string="Vendor Template",
        help="Alibaba or Tencent Cloud: the approved template of this step (SMS_… or its "
        "id). Empty: the gateway's default template with the whole text.",
    )
    sms_template_params = fields.Char(
        string="Template Variables",
        help="The template's variables in order, among partner, project, amount, days, "
        "due_date and company, separated by commas (Tencent fills {1}, {2}… in this order).",
    )

    def _sms_template(self, values):
        """(template code, {variable: value}) of this step, or (None, None)."""
        self.ensure_one()
        if not self.sms_template_code:
            return None, None
        names = [name.strip() for name in (self.sms_template_params or "").split(",")
                 if name.strip()]
        return self.sms_template_code, {name: str(values.get(name, "")) for name in names}
