from odoo import api, fields, models

from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfDocument

from ..tools import financial_ratios as fr

WAN = 10000.0
# Items of the key-figures table of the report, in its order.
KEY_ITEMS = (
    "cash", "notes_accounts_receivable", "inventory", "current_assets", "total_assets",
    "short_term_loans", "current_liabilities", "total_liabilities", "equity", "revenue",
    "cost_of_sales", "total_profit", "net_profit", "cfo_net",
)


def _wan(amount):
    return f"{(amount or 0.0) / WAN:,.2f}"


class GuaranteeDueDiligencePdf(models.AbstractModel):
    """Lays the due-diligence report out through the one PDF pipeline (guarantee_base): the
    sections, tables and sign-off the committee reads."""

    _name = "guarantee.due.diligence.pdf"
    _description = "Due-Diligence Report PDF"

    @api.model
    def _build(self, report, draft):
        """The PDF bytes of ``report`` (in the language of the context)."""
        _ = self.env._
        report = report.sudo()
        title = _("Due-Diligence Report")
        footer = report.name + ("  " + _("DRAFT") if draft else "")
        doc = PdfDocument(title, header="%s  %s" % (report.company_id.name, title), footer=footer)
        doc.text(title, "title")
        if draft:
            doc.text(_("Draft: not signed off by the A-role and the B-role."), "small")
        self._summary(doc, report)
        for number, section in enumerate(self._sections(), start=1):
            section(doc, report, number)
        return doc.build()

    def _sections(self):
        """The sections of the report, in order: each is called with (doc, report, number).
        An addon adds its own (guarantee_scoring: the score and the first review)."""
        return [
            self._section_profile, self._section_shareholders, self._section_operations,
            self._section_financials, self._section_collateral, self._section_measurement,
            self._section_risks, self._section_opinions, self._section_sign_off,
        ]

    # ------------------------------------------------------------------ helpers

    def _heading(self, doc, number, text):
        doc.text("%s. %s" % (number, text), "h2")

    def _narrative(self, doc, text):
        doc.text((text or "").strip() or self.env._("(nothing written)"))

    def _label(self, record, field_name):
        field = record._fields[field_name]
        value = record[field_name]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "") if value else ""
        return value or ""

    def _datetime(self, value):
        if not value:
            return ""
        return fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M")

    # ------------------------------------------------------------------ sections

    def _summary(self, doc, report):
        _ = self.env._
        project = report.project_id
        doc.table([
            [_("Project"), project.name, _("Applicant"), report.partner_id.name],
            [_("Product"), project.product_id.name or "", _("Amount (10k CNY)"),
             _wan(project.amount)],
            [_("Term (months)"), str(project.term_months), _("Creditor"),
             project.creditor_id.name or ""],
            [_("A-Role"), report.manager_id.name or "", _("B-Role"),
             report.assistant_id.name or ""],
            [_("Report Date"), str(report.date), _("Project State"),
             self._label(project, "state")],
        ], col_widths_mm=[28, 57, 28, 57], header_rows=0)

    def _section_profile(self, doc, report, number):
        _ = self.env._
        partner = report.partner_id
        self._heading(doc, number, _("Customer Profile"))
        # a person's ID number is masked as in every answer to a user (the PDF leaves the
        # system: the only reveal is the logged button); a company's USCC is printed whole
        uscc = partner._masked_value("uscc", partner.uscc)
        doc.table([
            [_("USCC"), uscc or "", _("Legal Representative"),
             partner.legal_representative or ""],
            [_("Registered Capital (10k CNY)"), _wan(partner.registered_capital),
             _("Established"), str(partner.established_date or "")],
            [_("Industry"), partner.industry_id.display_name or "", _("Enterprise Scale"),
             self._label(partner, "enterprise_scale")],
            [_("Region"), " ".join(dict.fromkeys(filter(None, [partner.state_id.name,
                                                               partner.city]))),
             _("Credit Grade"), self._label(partner, "credit_grade")],
        ], col_widths_mm=[32, 53, 32, 53], header_rows=0)
        if partner.business_scope:
            doc.text("%s：%s" % (_("Business Scope"), partner.business_scope), "small")
        self._narrative(doc, report.profile_text)

    def _section_shareholders(self, doc, report, number):
        _ = self.env._
        self._heading(doc, number, _("Shareholders and Related Parties"))
        if report.shareholder_ids:
            rows = [[_("Shareholder"), _("Actual Controller"), _("Share (%)"),
                     _("Capital Contributed (10k CNY)")]]
            rows += [[s.name, _("Yes") if s.is_controller else "", f"{s.share:.2f}",
                      _wan(s.contribution)] for s in report.shareholder_ids]
            doc.table(rows, col_widths_mm=[70, 25, 30, 45], align_right_from=2)
        group = report.partner_id.related_group_id
        if group:
            members = group.partner_ids - report.partner_id
            doc.text("%s：%s（%s）" % (_("Related Parties"), group.name,
                                      "、".join(members.mapped("name")) or "-"))
        self._narrative(doc, report.shareholders_text)

    def _section_operations(self, doc, report, number):
        self._heading(doc, number, self.env._("Operations"))
        self._narrative(doc, report.operations_text)

    def _section_financials(self, doc, report, number):
        _ = self.env._
        self._heading(doc, number, _("Financial Statements and Ratios"))
        statements = report.statement_ids.sorted("date_end")
        if not statements:
            self._narrative(doc, report.financial_text)
            return
        doc.table(
            [[_("Period End"), _("Standard"), _("Source"), _("Audit"), _("Checks")]]
            + [[str(s.date_end), self._label(s, "standard"), self._label(s, "source"),
                s.auditor if s.audited else _("Not audited"),
                _("Passed") if not s.check_failure_count
                else _("%(count)s failures", count=s.check_failure_count)]
               for s in statements],
            col_widths_mm=[25, 35, 30, 45, 35],
        )
        names = statements._item_names()
        values = {s.id: s._normalised() for s in statements}
        doc.text(_("Key figures (10k CNY)"), "h3")
        doc.table(
            [[_("Item")] + [str(s.date_end.year) for s in statements]]
            + [[names.get(code, code)] + [_wan(values[s.id].get(code)) for s in statements]
               for code in KEY_ITEMS],
            col_widths_mm=[60] + [110 / len(statements)] * len(statements),
            align_right_from=1,
        )
        for statement in statements.filtered("check_failure_count"):
            doc.text("%s %s：%s" % (statement.date_end, _("check failures"),
                                   statement.check_summary), "small")
        self._ratio_table(doc, statements)
        self._narrative(doc, report.financial_text)

    def _ratio_table(self, doc, statements):
        _ = self.env._
        ratios = {s.id: {r.ratio: r for r in s.ratio_ids} for s in statements}
        latest = statements[-1]
        labels = dict(self.env["guarantee.financial.ratio"]._fields["ratio"]
                      ._description_selection(self.env))
        flags = dict(self.env["guarantee.financial.ratio"]._fields["flag"]
                     ._description_selection(self.env))
        doc.text(_("Ratios and industry benchmarks"), "h3")
        rows = [[_("Ratio")] + [str(s.date_end.year) for s in statements]
                + [_("Industry Average"), _("Poor Value"), _("Assessment")]]
        for code in fr.RATIO_CODES:
            row = [labels[code]]
            for statement in statements:
                line = ratios[statement.id].get(code)
                row.append(self._ratio_text(line))
            mark = ratios[latest.id].get(code)
            if mark and mark.has_benchmark:
                row += [f"{mark.benchmark_average:,.2f}", f"{mark.benchmark_poor:,.2f}",
                        flags.get(mark.flag, "")]
            else:
                row += ["—", "—", ""]
            rows.append(row)
        width = 56 / len(statements)
        doc.table(rows, col_widths_mm=[44] + [width] * len(statements) + [20, 20, 30],
                  align_right_from=1, size=8.5)

    def _ratio_text(self, line):
        if not line or not line.has_value:
            return "—"
        suffix = "%" if fr.UNITS.get(line.ratio) == "%" else ""
        return f"{line.value:,.2f}{suffix}"

    def _section_collateral(self, doc, report, number):
        _ = self.env._
        project = report.project_id
        self._heading(doc, number, _("Counter-Guarantees and Coverage"))
        collaterals = project.collateral_ids.filtered(lambda c: c.state != "released")
        if collaterals:
            rows = [[_("Kind"), _("Description"), _("Owner"), _("Appraised (10k CNY)"),
                     _("Haircut (%)"), _("Recognised (10k CNY)")]]
            rows += [[self._label(c, "kind"), c.name, c.owner_id.name or "",
                      _wan(c.appraised_value), f"{c.haircut:.0f}", _wan(c.recognized_value)]
                     for c in collaterals]
            doc.table(rows, col_widths_mm=[18, 52, 30, 25, 18, 27], align_right_from=3)
        doc.text(_("Recognised value %(value)s (10k CNY), coverage %(ratio).2f%% of the "
                   "exposure (product minimum %(minimum).2f%%).",
                   value=_wan(project.collateral_value), ratio=project.coverage_ratio,
                   minimum=project.min_coverage_ratio))
        self._narrative(doc, report.collateral_text)

    def _section_measurement(self, doc, report, number):
        _ = self.env._
        self._heading(doc, number, _("Credit-Line Measurement"))
        m = report.measurement_id
        if not m:
            doc.text(_("No measurement was attached to the report."))
            return
        rows = [[_("Figure"), _("Value")],
                [_("Measurement"), "%s %s" % (m.name, self._label(m, "method"))]]
        if m.method == "working_capital":
            rows += [
                [_("Last year's sales revenue (10k CNY)"), _wan(m.revenue)],
                [_("Last year's profit margin (%)"), f"{m.profit_margin:.2f}"],
                [_("Expected sales growth (%)"), f"{m.growth_rate:.2f}"],
                [_("Receivable days"), f"{m.days_receivable:.2f}"],
                [_("Inventory days"), f"{m.days_inventory:.2f}"],
                [_("Payable days"), f"{m.days_payable:.2f}"],
                [_("Prepayment days"), f"{m.days_prepayment:.2f}"],
                [_("Advance days"), f"{m.days_advance:.2f}"],
                [_("Working-capital turnovers"), f"{m.turnover_count:.4f}"],
                [_("Working capital needed (10k CNY)"), _wan(m.working_capital_need)],
                [_("Own funds (10k CNY)"), _wan(m.own_funds)],
                [_("Existing working-capital loans (10k CNY)"), _wan(m.existing_loans)],
                [_("Working capital from other sources (10k CNY)"), _wan(m.other_funds)],
            ]
        else:
            rows += [
                [_("Base (10k CNY)"), _wan(m.base_amount)],
                [_("Multiple"), f"{m.factor:.4f}"],
            ]
        rows.append([_("Measured amount (10k CNY)"), _wan(m.measured_amount)])
        rows += [["%s：%s" % (_("Adjustment"), a.reason), _wan(a.amount)]
                 for a in m.adjustment_ids]
        rows.append([_("Proposed credit line (10k CNY)"), _wan(m.result_amount)])
        doc.table(rows, col_widths_mm=[110, 60], align_right_from=1)
        if m.growth_reason:
            doc.text("%s：%s" % (_("Why this growth"), m.growth_reason), "small")

    def _section_risks(self, doc, report, number):
        _ = self.env._
        self._heading(doc, number, _("Risks Found"))
        findings = []
        latest = report.statement_ids.sorted("date_end")[-1:]
        labels = dict(self.env["guarantee.financial.ratio"]._fields["ratio"]
                      ._description_selection(self.env))
        for line in latest.ratio_ids.filtered(lambda r: r.flag == "poor"):
            findings.append(_("%(ratio)s %(value)s is at or worse than the industry's poor "
                              "value %(poor).2f.", ratio=labels[line.ratio],
                              value=self._ratio_text(line), poor=line.benchmark_poor))
        for statement in report.statement_ids.filtered("check_failure_count"):
            findings.append(_("The statement of %(date)s fails %(count)s checks.",
                              date=statement.date_end, count=statement.check_failure_count))
        signals = self.env["guarantee.risk.signal"].sudo().search([
            ("partner_id", "=", report.partner_id.id), ("state", "in", ("new", "acknowledged")),
        ])
        findings += [_("Open warning: %(signal)s", signal=s.display_name) for s in signals]
        for finding in findings:
            doc.text("• " + finding)
        self._narrative(doc, report.risk_text)

    def _section_opinions(self, doc, report, number):
        _ = self.env._
        self._heading(doc, number, _("Opinions of the Investigators"))
        doc.text(_("A-Role's Opinion"), "h3")
        self._narrative(doc, report.manager_opinion)
        doc.text(_("B-Role's Opinion"), "h3")
        self._narrative(doc, report.assistant_opinion)

    def _section_sign_off(self, doc, report, number):
        _ = self.env._
        self._heading(doc, number, _("Sign-Off"))
        doc.table([
            [_("Role"), _("Name"), _("Signed By"), _("Signed On")],
            [_("A-Role"), report.manager_id.name or "", report.manager_signed_by_id.name or "",
             self._datetime(report.manager_signed_date)],
            [_("B-Role"), report.assistant_id.name or "",
             report.assistant_signed_by_id.name or "",
             self._datetime(report.assistant_signed_date)],
        ], col_widths_mm=[30, 45, 45, 50])
