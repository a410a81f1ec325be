from odoo import models
from odoo.tools.pdf import merge_pdf

CONTRACT_REPORT = "guarantee_contract.report_guarantee_contract"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Contracts are typeset with reportlab (CJK font, page numbers), not wkhtmltopdf."""
        report = self._get_report(report_ref)
        if report.report_name != CONTRACT_REPORT or (data or {}).get("report_type") == "html":
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        if isinstance(res_ids, int):
            res_ids = [res_ids]
        contracts = self.env["guarantee.contract"].browse(res_ids)
        contracts.check_access("read")
        return merge_pdf([contract._build_pdf() for contract in contracts]), "pdf"
