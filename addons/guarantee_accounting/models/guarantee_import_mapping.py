from odoo import fields, models

from ..tools import ledger_import


def _target_selection():
    return [(target, header) for target, header in ledger_import.COLUMNS]


class GuaranteeImportMapping(models.Model):
    """How the columns of one source's ledgers map to the fields of the import, kept so the
    next file of the same source is read the same way."""

    _name = "guarantee.import.mapping"
    _description = "Ledger Import Column Mapping"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(string="Source", required=True, help="Where the ledgers come from.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    line_ids = fields.One2many("guarantee.import.mapping.line", "mapping_id", string="Columns")

    _sql_constraints = [
        ("name_company_unique", "unique(name, company_id)", "A source is named only once."),
    ]

    def _as_dict(self):
        """{header: target} saved for this source."""
        return {line.header: line.target for line in self.line_ids}

    def _remember(self, mapping):
        """Save ``mapping`` ({header: target}) as this source's columns."""
        self.ensure_one()
        commands = [(5, 0, 0)] + [
            (0, 0, {"header": header, "target": target}) for header, target in mapping.items()
        ]
        self.write({"line_ids": commands})


class GuaranteeImportMappingLine(models.Model):
    _name = "guarantee.import.mapping.line"
    _description = "Ledger Import Column"
    _order = "id"

    mapping_id = fields.Many2one(
        "guarantee.import.mapping", required=True, ondelete="cascade", index=True
    )
    header = fields.Char(string="Column Header", required=True)
    target = fields.Selection(
        selection=_target_selection(), string="Imported As", required=True
    )

    _sql_constraints = [
        ("header_unique", "unique(mapping_id, header)", "A column is mapped only once."),
    ]
