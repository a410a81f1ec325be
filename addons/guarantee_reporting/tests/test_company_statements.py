import io

import openpyxl

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.mis_builder.models.accounting_none import AccountingNone


def value(result, name):
    """A KPI's value from mis_builder's evaluation (AccountingNone: nothing booked)."""
    amount = result[name]
    return 0.0 if amount is AccountingNone else amount


@tagged("post_install", "-at_install")
class TestCompanyStatements(TransactionCase):
    """The demo company's balance sheet (资产负债表) and income statement (利润表) in the
    general-enterprise format, on OCA mis_builder: they open, they add up, and each total
    agrees with the ledger summed independently, account type by account type."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.demo_company_cn")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.today = fields.Date.context_today(cls.env.user)
        cls.year_start = cls.today.replace(month=1, day=1)

    def _evaluate(self, xmlid, date_from, date_to):
        report = self.env.ref(xmlid)
        aep = report._prepare_aep(self.company)
        return report.evaluate(aep, date_from=date_from, date_to=date_to)

    def _ledger(self, domain):
        """Σ balance of the company's posted lines on the accounts of ``domain``."""
        lines = self.env["account.move.line"].search([
            ("company_id", "=", self.company.id), ("parent_state", "=", "posted"),
            ("date", "<=", self.today),
        ] + domain)
        return sum(lines.mapped("balance"))

    def test_balance_sheet_adds_up_assets_equal_liabilities_plus_equity(self):
        result = self._evaluate("guarantee_reporting.mis_report_balance_sheet",
                                self.today, self.today)
        assets = value(result, "bs_assets")
        self.assertGreater(assets, 0, "the demo company has books")
        self.assertAlmostEqual(assets, value(result, "bs_liab_equity"), places=2)
        # every asset account is on a line: the total is the ledger's assets
        self.assertAlmostEqual(assets, self._ledger([
            ("account_id.account_type", "in", ("asset_receivable", "asset_cash",
                                               "asset_current", "asset_non_current",
                                               "asset_prepayments", "asset_fixed"))]),
            places=2)
        self.assertAlmostEqual(value(result, "bs_liabilities"), -self._ledger([
            ("account_id.account_type", "in", ("liability_payable", "liability_credit_card",
                                               "liability_current",
                                               "liability_non_current"))]), places=2)
        # the guarantee lines read the guarantee accounts
        compensation = self.company.guarantee_compensation_account_id
        self.assertAlmostEqual(value(result, "bs_comp_recv"),
                               self._ledger([("account_id", "=", compensation.id)]), places=2)
        margin = self.company.guarantee_margin_account_id
        self.assertAlmostEqual(value(result, "bs_margin"),
                               -self._ledger([("account_id", "=", margin.id)]), places=2)

    def test_income_statement_net_profit_is_the_years_result(self):
        result = self._evaluate("guarantee_reporting.mis_report_income_statement",
                                self.year_start, self.today)
        pl_types = ("income", "income_other", "expense", "expense_depreciation",
                    "expense_direct_cost")
        year = self._ledger([("account_id.account_type", "in", pl_types),
                             ("date", ">=", self.year_start)])
        self.assertAlmostEqual(value(result, "is_net_profit"), -year, places=2)
        fee_income = self.company.guarantee_fee_income_account_id
        self.assertAlmostEqual(value(result, "is_fee_income"), -self._ledger([
            ("account_id", "=", fee_income.id), ("date", ">=", self.year_start)]), places=2)
        self.assertGreater(value(result, "is_fee_income"), 0, "the demo company earned fees")

    def test_guarantee_management_report_reads_the_guarantee_records(self):
        result = self._evaluate("guarantee_reporting.mis_report_guarantee_management",
                                self.year_start, self.today)
        domain = [("company_id", "=", self.company.id)]
        recoveries = self.env["guarantee.recovery"].search(domain + [
            ("state", "=", "posted"), ("date", ">=", self.year_start),
            ("date", "<=", self.today)])
        self.assertAlmostEqual(value(result, "gm_recoveries"),
                               sum(recoveries.mapped("amount")), places=2)
        self.assertTrue(recoveries, "the demo company recovered money this year")
        # the ledger's 应收代偿款 is the projects' own compensation receivable
        projects = self.env["guarantee.project"].search(domain)
        self.assertAlmostEqual(value(result, "gm_comp_recv"),
                               sum(projects.mapped("compensation_receivable")), places=2)

    def test_demo_statements_open_and_export(self):
        for xmlid in ("guarantee_reporting.mis_instance_income_statement_demo",
                      "guarantee_reporting.mis_instance_guarantee_management_demo"):
            instance = self.env.ref(xmlid)
            matrix = instance.compute()
            self.assertEqual([row["label"] for row in matrix["body"]],
                             instance.report_id.kpi_ids.sorted("sequence").mapped("description"))
        instance = self.env.ref("guarantee_reporting.mis_instance_balance_sheet_demo")
        content, kind = self.env["ir.actions.report"]._render(
            "mis_builder.xls_export", instance.ids, data={"dummy": True})
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
        self.assertGreater(rows["Total assets"], 0)
        self.assertAlmostEqual(rows["Total assets"],
                               rows["Total liabilities and owners' equity"], places=2)
