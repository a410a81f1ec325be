from odoo.tests import BaseCase, tagged

from ..tools import identifiers


@tagged("at_install")
class TestIdentifiers(BaseCase):
    """USCC and resident ID numbers: the check characters computed by hand from the standards."""

    def test_make_uscc_computes_both_check_characters(self):
        # GB 11714 on 7A2B3C4D: 7×3 + 10×7 + 2×9 + 11×10 + 3×5 + 12×8 + 4×4 + 13×2 = 372,
        # 372 mod 11 = 9, 11 − 9 = 2 → organisation code 7A2B3C4D2
        code = identifiers.make_uscc("330100", "7A2B3C4D")
        self.assertEqual(code[:17], "913301007A2B3C4D2")
        self.assertTrue(identifiers.is_valid_uscc(code))
        self.assertTrue(identifiers.is_valid_uscc(code.lower()), "case does not matter")
        self.assertTrue(identifiers.is_valid_uscc(f"{code[:6]} {code[6:]}"), "spaces ignored")
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        self.assertFalse(identifiers.is_valid_uscc(wrong))
        self.assertFalse(identifiers.is_valid_uscc(code[:-1]), "17 characters")
        self.assertFalse(identifiers.is_valid_uscc(""))

    def test_make_resident_id_computes_the_check_digit(self):
        # the GB 11643 example: 11010519491231002 → check digit X
        self.assertEqual(identifiers.make_resident_id("11010519491231002"), "11010519491231002X")
        self.assertTrue(identifiers.is_valid_resident_id("11010519491231002X"))
        self.assertFalse(identifiers.is_valid_resident_id("110105194912310021"))
        self.assertFalse(identifiers.is_valid_resident_id("11010519491231002"), "17 digits")

    def test_check_identifier_tells_a_company_from_a_person(self):
        company = identifiers.make_uscc("330106", "10000001")
        spaced = " %s－%s " % (company[:8], company[8:])  # full-width dash, spaces
        self.assertEqual(
            identifiers.check_identifier(spaced), (company, "company", None)
        )
        self.assertEqual(
            identifiers.check_identifier("11010519491231002x"),
            ("11010519491231002X", "person", None),
        )
        self.assertEqual(
            identifiers.check_identifier("110105194912310021"),
            ("110105194912310021", "person", "wrong ID card check digit"),
        )
        self.assertEqual(
            identifiers.check_identifier("9133"), ("9133", "company", "a USCC has 18 characters")
        )
        # a wrong check character: a person when the number reads as an ID card's (all digits,
        # birth date, region), a company otherwise
        lettered = identifiers.make_uscc("330100", "7A2B3C4D")
        wrong = lettered[:-1] + ("0" if lettered[-1] != "0" else "1")
        self.assertEqual(
            identifiers.check_identifier(wrong), (wrong, "company", "wrong USCC check character")
        )

    def test_patterns_find_numbers_in_a_line_of_text(self):
        company = identifiers.make_uscc("330100", "7A2B3C4D")
        line = "统一社会信用代码%s名称" % company
        self.assertEqual(identifiers.USCC_PATTERN.search(line).group(0), company)
        self.assertEqual(
            identifiers.RESIDENT_ID_PATTERN.search("公民身份号码11010519491231002X").group(0),
            "11010519491231002X",
        )
