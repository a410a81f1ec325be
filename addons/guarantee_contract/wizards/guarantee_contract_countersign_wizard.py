import base64

from odoo import _, fields, models
from odoo.exceptions import UserError


class GuaranteeContractCountersignWizard(models.TransientModel):
    """Upload the PDF the other parties signed: every signature is checked (intact, chain
    to a configured trusted root, document unchanged since) and the verdict recorded on
    the contract."""

    _name = "guarantee.contract.countersign.wizard"
    _description = "Check a Counter-Signed Contract PDF"

    contract_id = fields.Many2one("guarantee.contract", required=True, ondelete="cascade")
    pdf_file = fields.Binary(string="Signed PDF", required=True)
    pdf_filename = fields.Char()

    def action_check(self):
        self.ensure_one()
        if not self.pdf_file:
            raise UserError(_("Choose the signed PDF to check."))
        self.contract_id._record_countersigned(base64.b64decode(self.pdf_file),
                                               self.pdf_filename)
        return {
            "type": "ir.actions.act_window",
            "res_model": "guarantee.contract",
            "res_id": self.contract_id.id,
            "view_mode": "form",
            "target": "current",
        }
