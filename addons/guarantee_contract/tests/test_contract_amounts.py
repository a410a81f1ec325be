import base64
import io
import warnings

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ContractCase
from .test_contract_pdf import pdf_text


def pdf_title(content):
    from PyPDF2 import PdfReader

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return PdfReader(io.BytesIO(content)).metadata.title


@tagged("at_install")
class TestContractAmounts(ContractCase):
    """A contract states real amounts: never ¥0, never figures older than the project's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["guarantee_contract"], ["zh_CN"], overwrite=True
        )

    def _entrusted(self, **terms):
        project = self._approved_project(**dict({"amount": 3000000, "fee_rate": 1.5,
                                                 "margin_rate": 10}, **terms))
        project.action_generate_contracts()
        return project.contract_ids.filtered(lambda c: c.kind == "entrusted")

    def test_a_contract_stating_a_zero_fee_cannot_be_sent(self):
        contract = self._entrusted(fee_rate=0.0)
        self.assertIn("¥0.00", contract.body)
        with self.assertRaisesExactly(
            UserError,
            r"^WT\d{4}-\d+ 无法发起签署：\n - 合同载明的担保费缺失或为零（¥\s?0\.00）。$",
        ) as caught:
            contract.with_context(lang="zh_CN").action_send_for_signing()
        self.assertIn(contract.name, str(caught.exception))
        self.assertEqual(contract.state, "draft")

    def test_a_project_that_takes_no_margin_sends_its_contract(self):
        # a margin rate of 0% states that no margin is taken (the standard template of a new
        # database then prints 本担保不收取保证金), not a missing figure
        contract = self._entrusted(margin_rate=0.0)
        contract.action_send_for_signing()
        self.assertEqual(contract.state, "sent")

    def test_contracts_are_drawn_up_after_the_fee_schedule(self):
        # 3,000,000 × 1.5% over the 365 days of 2026 (day count 365): ¥45,000.00
        contract = self._entrusted()
        self.assertEqual(contract.project_id.fee_total, 45000.0)
        self.assertIn("¥45,000.00", contract.body)
        self.assertIn("肆万伍仟元整", contract.body)
        contract.action_send_for_signing()
        self.assertEqual(contract.state, "sent")

    def test_the_text_is_drawn_up_again_when_an_amount_changed_before_sending(self):
        contract = self._entrusted()
        fee = contract.project_id.fee_ids
        self.assertEqual(len(fee), 1)
        fee.with_user(self.finance).amount = 40000.0
        self.assertIn("¥45,000.00", contract.body)
        contract.with_context(lang="zh_CN").action_send_for_signing()
        self.assertEqual(contract.state, "sent")
        self.assertIn("¥40,000.00", contract.body)
        self.assertIn("肆万元整", contract.body)
        self.assertNotIn("¥45,000.00", contract.body)
        self.assertIn(
            "合同载明的金额在起草后已变更", "".join(contract.message_ids.mapped("body"))
        )

    def test_an_unchanged_text_is_sent_as_edited(self):
        contract = self._entrusted()
        contract.body = contract.body.replace("争议解决", "争议的解决")
        contract.action_send_for_signing()
        self.assertIn("争议的解决", contract.body)

    def test_the_signed_entrusted_contract_has_one_title_number_and_signature_block(self):
        contract = self._entrusted()
        contract.action_send_for_signing()
        contract.action_mark_signed()
        content = base64.b64decode(contract.signed_pdf_id.datas)
        self.assertEqual(pdf_title(content), "委托保证合同")
        text = "".join(pdf_text(content))
        self.assertNotIn("Entrusted", text)
        self.assertEqual(text.count("委托保证合同"), 1)
        self.assertEqual(text.count("合同编号"), 1)
        # the seed's word 签章, once per party: the applicant and our company
        self.assertEqual(text.count("（签章）："), 2)
        self.assertNotIn("盖章）：", text)
        self.assertNotIn("签订日期", text)
        self.assertEqual(text.count("签章处"), 2)

    def test_the_signature_block_is_kept_with_the_last_paragraph(self):
        from ..tools.contract_pdf import contract_document

        labels = {"seal": "签章", "seal_here": "签章处",
                  "signatory": "法定代表人或授权代表（签字）", "date": "签署日期"}
        last = "本合同一式三份，各方各执一份，具有同等法律效力。"
        pages_seen = set()
        for count in range(18, 40):
            body = "".join("<p>第%d条 本条款为测试分页的合同条款内容。</p>" % i
                           for i in range(count)) + "<p>%s</p>" % last
            document = contract_document(
                "保证合同", ["合同编号：HT-1"], body, footer="HT-1",
                parties=[("甲方", "测试银行"), ("乙方", "测试担保公司")],
                signature_labels=labels,
            )
            pages = pdf_text(document.build())
            pages_seen.add(len(pages))
            with self.subTest(paragraphs=count):
                signature_pages = [n for n, page in enumerate(pages) if "签章处" in page]
                self.assertEqual(len(signature_pages), 1)
                self.assertIn(last, pages[signature_pages[0]].replace("\n", ""))
        # the range covers a body ending near the foot of page 1 and one spilling over
        self.assertEqual(pages_seen, {1, 2})
