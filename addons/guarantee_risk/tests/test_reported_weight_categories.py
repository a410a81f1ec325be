from odoo.tests import TransactionCase, tagged

from odoo.addons.guarantee_base.tests.refusals import RefusalAssertions

from ..tools import regulatory

# (business type, balance, liability balance) -> category, by the regulator's table
# (融资担保责任余额计量办法): a loan or bond weighted below 100% shows as a liability balance
# below its balance.
CASES = [
    (("loan", 1_000_000, 750_000), "loan_75"),
    (("loan", 1_000_000, 1_000_000), "loan_100"),
    (("bond", 2_000_000, 1_600_000), "bond_80"),
    (("bond", 2_000_000, 2_000_000), "bond_100"),
    (("other_financing", 300_000, 300_000), "other_100"),
    (("housing", 500_000, 150_000), "housing_30"),
    (("non_financing", 800_000, 0), "non_financing"),
]


@tagged("at_install")
class TestReportedWeightCategories(RefusalAssertions, TransactionCase):
    """One source for the weight categories: the table in tools/regulatory.py, its Python
    reading and the SQL built from it agree, and the reports read the same table."""

    def test_python_reading_gives_the_regulators_category(self):
        for (business_type, balance, liability), expected in CASES:
            with self.subTest(business_type=business_type, liability=liability):
                self.assertEqual(
                    regulatory.reported_weight_category(business_type, balance, liability),
                    expected,
                )

    def test_sql_built_from_the_table_gives_the_same_category(self):
        values = ", ".join(["(%s, %s::numeric, %s::numeric)"] * len(CASES))
        params = [value for row, _expected in CASES for value in row]
        self.env.cr.execute(
            f"SELECT {regulatory.reported_weight_category_sql('pos')} FROM (VALUES {values})"
            " AS pos(business_type, balance, liability_balance)",
            params,
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()], [expected for _row, expected in CASES]
        )

    def test_weights_of_the_categories(self):
        weights = {key: weight for key, _t, weight, _r in regulatory.REPORTED_WEIGHT_CATEGORIES}
        self.assertEqual(weights, {
            "loan_75": 0.75, "loan_100": 1.0, "bond_80": 0.8, "bond_100": 1.0,
            "other_100": 1.0, "housing_30": 0.3,
        })

    def test_the_aggregate_knows_every_category(self):
        keys = [key for key, _label in
                self.env["guarantee.position.aggregate"]._fields["weight_category"].selection]
        self.assertEqual(
            keys,
            [row[0] for row in regulatory.REPORTED_WEIGHT_CATEGORIES]
            + [regulatory.REPORTED_NON_FINANCING],
        )

    def test_an_alias_that_is_not_an_identifier_is_refused(self):
        with self.assertRaisesExactly(ValueError, "Not a SQL alias"):
            regulatory.reported_weight_category_sql("pos; DROP TABLE x")
