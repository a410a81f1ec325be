import base64
import datetime
import io
import sys
from unittest.mock import patch

from PIL import Image, ImageDraw, ImageFont

from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.guarantee_platform.tools import ocr
from odoo.addons.guarantee_platform.tools.identifiers import make_resident_id

from .common import GuaranteeCase

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def document_image(lines):
    """A white page with ``lines`` drawn in a Chinese font, as a PNG (base64)."""
    font = ImageFont.truetype(FONT, 28, index=2)  # index 2: Noto Sans CJK SC
    image = Image.new("RGB", (960, 40 + 52 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((30, 20 + 52 * number), line, font=font, fill="black")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return base64.b64encode(output.getvalue())


class TestOcr(GuaranteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uscc = cls._valid_uscc("330106", "8CR12345")
        # a project manager who keeps the contacts of the customers
        cls.clerk = new_test_user(
            cls.env, "t_ocr_pm",
            groups="guarantee_base.group_guarantee_project_manager,base.group_partner_manager",
        )
        cls.prospect = cls.env["res.partner"].create({
            "name": "待识别客户", "is_company": True, "is_guarantee_customer": True,
            "user_id": cls.clerk.id,
        })
        cls.person = cls.env["res.partner"].create({
            "name": "待识别个人", "is_company": False, "is_guarantee_customer": True,
            "user_id": cls.clerk.id,
        })

    def _wizard(self, partner, kind, lines):
        action = partner.with_user(self.clerk).action_read_document()
        wizard = self.env["guarantee.ocr.wizard"].with_user(self.clerk).with_context(
            **action["context"]
        ).create({"image": document_image(lines), "kind": kind})
        return wizard

    def test_a_licence_photo_fills_the_customer_after_confirmation(self):
        wizard = self._wizard(self.prospect, "licence", [
            "营业执照",
            "统一社会信用代码 %s" % self.uscc,
            "名称 杭州识别科技有限公司",
            "类型 有限责任公司",
            "法定代表人 王建华",
            "注册资本 伍佰万元整",
            "成立日期 2015年03月18日",
            "住所 浙江省杭州市西湖区文三路100号",
            "经营范围 技术开发、技术服务；电子产品销售",
        ])
        wizard.action_read()
        self.assertEqual(wizard.name, "杭州识别科技有限公司")
        self.assertEqual(wizard.uscc, self.uscc)
        self.assertFalse(wizard.uscc_uncertain)
        self.assertEqual(wizard.legal_representative, "王建华")
        self.assertEqual(wizard.registered_capital, 5000000.0)
        self.assertEqual(wizard.established_date, datetime.date(2015, 3, 18))
        self.assertEqual(wizard.address, "浙江省杭州市西湖区文三路100号")
        self.assertIn("技术开发", wizard.business_scope)
        # read, not yet saved
        self.assertEqual(self.prospect.name, "待识别客户")
        self.assertFalse(self.prospect.uscc)
        wizard.action_apply()
        self.assertEqual(self.prospect.name, "杭州识别科技有限公司")
        self.assertEqual(self.prospect.uscc, self.uscc)
        self.assertEqual(self.prospect.legal_representative, "王建华")
        self.assertEqual(self.prospect.registered_capital, 5000000.0)
        self.assertEqual(self.prospect.established_date, datetime.date(2015, 3, 18))
        self.assertEqual(self.prospect.street, "浙江省杭州市西湖区文三路100号")

    def test_an_id_card_with_a_wrong_check_digit_is_flagged_and_not_saved(self):
        body = "33010619850612123"
        good = make_resident_id(body)
        wrong = body + ("1" if good[-1] != "1" else "2")
        wizard = self._wizard(self.person, "id_card", [
            "姓名 李小红", "性别 女 民族 汉", "出生 1985年6月12日",
            "住址 浙江省杭州市西湖区文一路1号", "公民身份号码 %s" % wrong,
        ])
        wizard.action_read()
        self.assertEqual(wizard.name, "李小红")
        self.assertEqual(wizard.uscc, wrong)
        self.assertTrue(wizard.uscc_uncertain)
        self.assertIn("check digit", wizard.review_note)
        with self.assertRaisesExactly(
            UserError, r"Some fields were read with doubt \(USCC / ID Number\): check them against"
        ):
            wizard.action_apply()  # not confirmed
        wizard.confirmed = True
        with self.assertRaisesExactly(
            UserError, "330106198506121231 fails its check digit: correct it from the document"
        ):
            wizard.action_apply()  # confirmed, but the number still fails its check digit
        self.assertEqual(self.person.name, "待识别个人")
        self.assertFalse(self.person.uscc)
        wizard.uscc = good  # the user corrects it from the card
        wizard.action_apply()
        self.assertEqual((self.person.name, self.person.uscc), ("李小红", good))

    def test_without_the_ocr_library_the_user_is_told_what_to_install(self):
        wizard = self._wizard(self.prospect, "licence", ["营业执照"])
        with patch.object(ocr, "_engine", None), \
                patch.dict(sys.modules, {"rapidocr_onnxruntime": None}):
            with self.assertRaisesExactly(
                UserError, "Reading documents needs the OCR library, which is not installed on the"
            ) as refused:
                wizard.action_read()
        self.assertIn("rapidocr-onnxruntime", str(refused.exception))
        self.assertEqual(wizard.state, "upload")
