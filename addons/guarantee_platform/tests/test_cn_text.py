import datetime

from odoo.tests import BaseCase, tagged

from ..tools import cn_text


@tagged("at_install")
class TestChineseText(BaseCase):
    def test_clean_text_makes_full_width_half_width_and_drops_spaces(self):
        self.assertEqual(cn_text.clean_text(" 杭州　示例 有限公司 "), "杭州示例有限公司")
        self.assertEqual(cn_text.clean_text("５００万（元）"), "500万(元)")
        self.assertEqual(cn_text.clean_text(None), "")

    def test_dates_written_and_found_the_chinese_way(self):
        self.assertEqual(cn_text.cn_date(datetime.date(2026, 1, 1)), "2026年1月1日")
        self.assertEqual(cn_text.cn_date(False), "")
        self.assertEqual(cn_text.find_date("成立日期2015年03月20日"), datetime.date(2015, 3, 20))
        self.assertEqual(cn_text.find_date("至 2023/5/1 止"), datetime.date(2023, 5, 1))
        self.assertIsNone(cn_text.find_date("2023年2月30日"), "not a real day")
        self.assertIsNone(cn_text.find_date("长期"))

    def test_amounts_written_in_chinese_numerals(self):
        self.assertEqual(cn_text.parse_cn_amount("伍佰万元整"), 5000000.0)
        self.assertEqual(cn_text.parse_cn_amount("500万元人民币"), 5000000.0)
        self.assertEqual(cn_text.parse_cn_amount("1000万"), 10000000.0)
        self.assertEqual(cn_text.parse_cn_amount("1,234.5元"), 1234.5)
        self.assertIsNone(cn_text.parse_cn_amount("美元"))
