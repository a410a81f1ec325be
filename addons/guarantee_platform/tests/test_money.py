from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..tools import money


@tagged("at_install")
class TestMoney(BaseCase):
    """Rounding to the fen and the two ways an amount is written, every value by hand."""

    def test_fen_rounds_half_up_on_the_written_value(self):
        # 2.675 is 2.67499… as a binary float: round() gives 2.67, the fen of what is written 2.68
        self.assertEqual(money.fen(2.675), Decimal("2.68"))
        self.assertEqual(money.fen(Decimal("617283.945")), Decimal("617283.95"))
        self.assertEqual(money.fen(-1.005), Decimal("-1.01"), "half away from zero")
        self.assertEqual(money.fen(0.1 + 0.2), Decimal("0.30"))
        self.assertEqual(money.fen(None), Decimal("0.00"))
        self.assertEqual(money.fen(7), Decimal("7.00"))
        self.assertEqual(money.fen("12.345"), Decimal("12.35"))

    def test_fen_float_is_the_same_value_as_a_float(self):
        # 1,234,567.89 × 0.5% = 6,172.83945 → 6,172.84
        self.assertEqual(money.fen_float(1234567.89 * 0.5 / 100), 6172.84)
        self.assertIsInstance(money.fen_float(1), float)

    def test_round_half_up_to_other_places(self):
        # a haircut of 59.995% shown to the hundredth
        self.assertEqual(money.round_half_up(59.995), 60.0)
        self.assertEqual(money.round_half_up(0.12345, 4), 0.1235)

    def test_ratio_to_six_places_and_none_without_denominator(self):
        self.assertEqual(money.ratio(1, 3), Decimal("0.333333"))
        self.assertEqual(money.ratio(2, 3), Decimal("0.666667"))
        self.assertIsNone(money.ratio(5, 0))
        self.assertIsNone(money.ratio(5, -1))

    def test_amounts_in_figures(self):
        self.assertEqual(money.rmb_figures(10000000), "¥10,000,000.00")
        self.assertEqual(money.rmb_figures(-1234.565), "-¥1,234.57")
        self.assertEqual(money.rmb_figures(None), "¥0.00")
        self.assertEqual(money.format_amount(1234567.891, "$"), "$1,234,567.89")
        self.assertEqual(money.format_amount(0.005), "0.01")

    def test_amounts_in_chinese_capitals(self):
        self.assertEqual(money.rmb_in_words(10000000), "壹仟万元整")
        self.assertEqual(money.rmb_in_words(1050000.50), "壹佰零伍万元伍角")
        self.assertEqual(money.rmb_in_words(100.07), "壹佰元零柒分")
        self.assertEqual(money.rmb_in_words(0.1 + 0.2), "叁角", "float noise is rounded away")
        self.assertEqual(money.rmb_in_words(-25), "负贰拾伍元整")
