from odoo.tests import TransactionCase, tagged

from odoo.addons.guarantee_platform.tools.identifiers import is_valid_resident_id, is_valid_uscc
from odoo.addons.guarantee_platform.tools.money import rmb_in_words

from .common import GuaranteeCase


@tagged("at_install")
class TestIdentifiers(TransactionCase):
    def test_uscc_with_correct_check_character_is_valid(self):
        code = GuaranteeCase._valid_uscc("330100", "7A2B3C4D")
        self.assertTrue(is_valid_uscc(code))
        self.assertTrue(is_valid_uscc(code.lower()), "case does not matter")
        self.assertTrue(is_valid_uscc(f"{code[:6]} {code[6:]}"), "spaces are ignored")

    def test_uscc_with_wrong_check_character_is_invalid(self):
        code = GuaranteeCase._valid_uscc("330100", "7A2B3C4D")
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        self.assertFalse(is_valid_uscc(wrong))
        self.assertFalse(is_valid_uscc(code[:-1]), "17 characters")
        self.assertFalse(is_valid_uscc(""))

    def test_resident_id_check_digit(self):
        self.assertTrue(is_valid_resident_id("11010519491231002X"))
        self.assertFalse(is_valid_resident_id("110105194912310021"))
        self.assertFalse(is_valid_resident_id("11010519491231002"), "17 digits")

    def test_amounts_in_chinese_capitals(self):
        self.assertEqual(rmb_in_words(10000000), "壹仟万元整")
        self.assertEqual(rmb_in_words(1050000.50), "壹佰零伍万元伍角")
        self.assertEqual(rmb_in_words(0.07), "柒分")
        self.assertEqual(rmb_in_words(0.1 + 0.2), "叁角", "float noise is rounded away")
