from .common import RiskCase

WAN = 10000.0

# Two years of a general enterprise that pass every check, in 万元 (the golden figures of
# tests/test_financial_arithmetic.py, with the lines that make the subtotals add up).
YEAR_2024 = {
    "cash": 500, "notes_accounts_receivable": 800, "prepayments": 200, "inventory": 1200,
    "other_current_assets": 200, "current_assets": 2900, "fixed_assets": 2100,
    "non_current_assets": 2100, "total_assets": 5000, "notes_accounts_payable": 600,
    "advances_received": 100, "other_payables": 1100, "current_liabilities": 1800,
    "long_term_loans": 800, "non_current_liabilities": 800, "total_liabilities": 2600,
    "paid_in_capital": 2000, "undistributed_profit": 400, "equity": 2400,
    "total_liabilities_equity": 5000, "revenue": 8000, "cost_of_sales": 6400,
    "admin_expenses": 1300, "operating_profit": 300, "total_profit": 300, "income_tax": 60,
    "net_profit": 240,
}
YEAR_2025 = {
    "cash": 600, "notes_accounts_receivable": 1000, "prepayments": 300, "inventory": 1400,
    "other_current_assets": 200, "current_assets": 3500, "fixed_assets": 2500,
    "non_current_assets": 2500, "total_assets": 6000, "short_term_loans": 300,
    "notes_accounts_payable": 800, "advances_received": 200, "other_payables": 800,
    "current_liabilities": 2100, "long_term_loans": 1200, "non_current_liabilities": 1200,
    "total_liabilities": 3300, "paid_in_capital": 2000, "undistributed_profit": 700,
    "equity": 2700, "total_liabilities_equity": 6000, "revenue": 9000, "cost_of_sales": 7200,
    "admin_expenses": 1250, "financial_expenses": 100, "interest_expense": 90,
    "operating_profit": 450, "total_profit": 450, "income_tax": 90, "net_profit": 360,
    "cfo_net": 420, "cfi_net": -200, "cff_net": -120, "net_change_cash": 100,
    "cash_begin": 500, "cash_end": 600,
}


class DueDiligenceCase(RiskCase):
    """A manufacturing customer of the A-role with statements to build on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manufacturing = cls.env.ref("guarantee_base.industry_gbt4754_C")
        cls.customer_dd = cls._company_partner(
            "测试精密制造有限公司", industry_id=cls.env.ref("guarantee_base.industry_gbt4754_34").id
        )

    @classmethod
    def _statement(cls, partner, year, figures, standard="general", opening=None, **values):
        """A statement of ``year`` with ``figures`` in 万元 (and its opening column)."""
        statement = cls.env["guarantee.financial.statement"].create(dict({
            "partner_id": partner.id,
            "company_id": cls.company.id,
            "date_end": "%s-12-31" % year,
            "standard": standard,
            "unit": "10000",
        }, **values))
        statement._set_amounts(
            {code: amount * WAN for code, amount in figures.items()},
            {code: amount * WAN for code, amount in (opening or {}).items()},
        )
        return statement

    @classmethod
    def _two_years(cls, partner):
        first = cls._statement(partner, 2024, YEAR_2024)
        second = cls._statement(partner, 2025, YEAR_2025)
        (first | second).action_confirm()
        return first, second
