import io
import sys
from unittest.mock import patch

from odoo.tests import BaseCase, tagged

from ..tools import ocr
from ..tools.identifiers import make_resident_id

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def page(lines):
    """A white page with ``lines`` drawn in a Chinese font, as PNG bytes."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 28, index=2)  # index 2: Noto Sans CJK SC
    image = Image.new("RGB", (960, 40 + 52 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((30, 20 + 52 * number), line, font=font, fill="black")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


@tagged("at_install")
class TestOcr(BaseCase):
    def test_an_image_is_read_into_positioned_texts(self):
        boxes = ocr.read_boxes(page(["名称 杭州示例有限公司", "注册资本 伍佰万元整"]))
        self.assertEqual([text.replace(" ", "") for _box, text, _s in boxes],
                         ["名称杭州示例有限公司", "注册资本伍佰万元整"])
        first, second = boxes[0][0], boxes[1][0]
        self.assertEqual(len(first), 4, "a box is its four corners")
        self.assertLess(first[0][1], second[0][1], "the first line is above the second")
        self.assertTrue(all(0.0 <= score <= 1.0 for _b, _t, score in boxes))

    def test_a_licence_is_parsed_from_its_lines(self):
        lines = [
            ("营业执照", 0.99), ("名称杭州识别科技有限公司", 0.98),
            ("法定代表人王建华", 0.6),
            ("注册资本伍佰万元整", 0.95), ("成立日期2015年03月18日", 0.99),
            ("住所浙江省杭州市西湖区", 0.95), ("文三路100号", 0.93), ("类型有限责任公司", 0.99),
        ]
        fields = ocr.parse_licence(lines)
        self.assertEqual(fields["name"], ("杭州识别科技有限公司", 0.98, None))
        self.assertEqual(fields["legal_representative"], ("王建华", 0.6, None))
        self.assertEqual(fields["registered_capital"][0], 5000000.0)
        self.assertEqual(str(fields["established_date"][0]), "2015-03-18")
        self.assertEqual(fields["address"], ("浙江省杭州市西湖区文三路100号", 0.93, None))
        self.assertEqual(fields["business_scope"], ("", 0.0, "not found"))

    def test_an_id_card_number_with_a_wrong_check_digit_is_flagged(self):
        body = "33010619850612123"
        good = make_resident_id(body)
        wrong = body + ("1" if good[-1] != "1" else "2")
        lines = [("姓名李小红", 0.99), ("性别女民族汉", 0.99), ("公民身份号码" + wrong, 0.97)]
        self.assertEqual(ocr.parse_id_card(lines), {
            "name": ("李小红", 0.99, None), "uscc": (wrong, 0.97, "wrong check digit"),
        })
        lines[2] = ("公民身份号码" + good, 0.97)
        self.assertEqual(ocr.parse_id_card(lines)["uscc"], (good, 0.97, None))

    def test_without_the_library_the_caller_is_told_what_to_install(self):
        with patch.object(ocr, "_engine", None), \
                patch.dict(sys.modules, {"rapidocr_onnxruntime": None}):
            with self.assertRaises(ocr.OcrUnavailable) as refused:
                ocr.read_boxes(b"")
        self.assertEqual(str(refused.exception), "pip install rapidocr-onnxruntime==1.4.4")
