from odoo import api, models

from .guarantee_flow_aggregate import PROJECT_DIMENSIONS, PROJECT_FIELDS, SOURCE_FIELDS


class GuaranteeFlowSource(models.AbstractModel):
    """A record that counts in the daily flow aggregates (a compensation, a recovery, a loss,
    a fee, and the project itself): every stored change recomputes, in its transaction, the
    aggregate rows of the days the changed records counted on before and after it. The ORM's
    low-level ``_create``/``_write_multi`` receive the computed and related stored fields too
    when they are flushed, so nothing that moves a flow escapes."""

    _name = "guarantee.flow.source"
    _description = "Daily Flow Source"

    def _flow_fields(self):
        return PROJECT_FIELDS if self._name == "guarantee.project" else SOURCE_FIELDS[self._name]

    def _flow_days(self, vals_list=None):
        """The days the records of ``self`` count on now; for projects whose dimensions move
        (``vals_list``), the days of all their flows."""
        Aggregate = self.env["guarantee.flow.aggregate"].sudo()
        everything = self._name == "guarantee.project" and any(
            PROJECT_DIMENSIONS.intersection(vals) for vals in vals_list or ()
        )
        return Aggregate._days_of(self._name, self.ids, all_flows=everything)

    @api.model
    def _create(self, data_list):
        records = super()._create(data_list)
        self.env["guarantee.flow.aggregate"].sudo()._refresh_days(records._flow_days())
        return records

    def _write_multi(self, vals_list):
        fields = self._flow_fields()
        moved = self.browse([
            record.id
            for record, vals in zip(self, vals_list, strict=True)
            if fields.intersection(vals)
        ])
        moving = [vals for vals in vals_list if fields.intersection(vals)]
        before = moved._flow_days(moving) if moved else set()
        super()._write_multi(vals_list)
        if moved:
            self.env["guarantee.flow.aggregate"].sudo()._refresh_days(
                before | moved._flow_days(moving)
            )

    def unlink(self):
        # a project's flows (its compensations, fees…) go with it
        days = self._flow_days([PROJECT_DIMENSIONS])
        result = super().unlink()
        self.env["guarantee.flow.aggregate"].sudo()._refresh_days(days)
        return result
