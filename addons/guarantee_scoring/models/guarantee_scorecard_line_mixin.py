from odoo import api, models


class GuaranteeScorecardLineMixin(models.AbstractModel):
    """A line of a scorecard (characteristic, bin, grade): created, changed and deleted only
    while its scorecard is a draft; an active or archived scorecard is frozen."""

    _name = "guarantee.scorecard.line.mixin"
    _description = "Scorecard Line"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.scorecard_id._check_lines_editable()
        return records

    def write(self, vals):
        self.scorecard_id._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self.scorecard_id._check_lines_editable()
