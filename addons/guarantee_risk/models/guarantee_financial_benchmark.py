from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .guarantee_financial_ratio import RATIO_SELECTION

SCALES = [("large", "Large"), ("medium", "Medium"), ("small", "Small"), ("micro", "Micro")]


class GuaranteeFinancialBenchmark(models.Model):
    """行业标准值: the average and the poor value of a ratio for an industry section of
    GB/T 4754 and an enterprise scale (e.g. from 企业绩效评价标准值), against which the
    ratios of customers are flagged."""

    _name = "guarantee.financial.benchmark"
    _description = "Industry Benchmark"
    _order = "industry_id, enterprise_scale, ratio"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the benchmark applies to every company."
    )
    industry_id = fields.Many2one(
        "res.partner.industry",
        string="Industry Section",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        help="A GB/T 4754 section (门类); its divisions use it.",
    )
    enterprise_scale = fields.Selection(
        SCALES, index=True, help="Empty: every scale without a benchmark of its own."
    )
    ratio = fields.Selection(RATIO_SELECTION, required=True, index=True)
    value_average = fields.Float(string="Average Value", digits=(16, 2), required=True)
    value_poor = fields.Float(string="Poor Value", digits=(16, 2), required=True)
    year = fields.Integer(help="Year of the benchmark tables the values come from.")
    source = fields.Char(help="Where the values come from, e.g. 企业绩效评价标准值 2025.")

    _sql_constraints = [
        ("benchmark_unique", "unique(company_id, industry_id, enterprise_scale, ratio)",
         "This ratio already has a benchmark for this industry and scale."),
    ]

    @api.constrains("industry_id")
    def _check_section(self):
        for benchmark in self:
            if benchmark.industry_id.parent_id:
                raise ValidationError(
                    _("Benchmarks are set per industry section (门类), not per division: "
                      "choose %(section)s.", section=benchmark.industry_id.parent_id.display_name)
                )

    @api.model
    def _for_partners(self, partners):
        """{partner id: {ratio: (average, poor)}}: for each ratio the benchmark of the
        partner's section and scale, else of its section for every scale; a company's own
        benchmark before a shared one."""
        sections = {}
        for partner in partners:
            industry = partner.industry_id
            while industry.parent_id:
                industry = industry.parent_id
            sections[partner.id] = industry
        rows = self.sudo().search([
            ("industry_id", "in", [s.id for s in sections.values() if s]),
            ("company_id", "in", [False] + partners.company_id.ids + self.env.companies.ids),
        ])
        result = {}
        for partner in partners:
            section = sections[partner.id]
            found = {}
            candidates = rows.filtered(lambda r, section=section: r.industry_id == section)
            for row in candidates.sorted(
                lambda r, partner=partner: (
                    r.enterprise_scale != partner.enterprise_scale,
                    not r.company_id,
                )
            ):
                if row.enterprise_scale and row.enterprise_scale != partner.enterprise_scale:
                    continue
                found.setdefault(row.ratio, (row.value_average, row.value_poor))
            result[partner.id] = found
        return result
