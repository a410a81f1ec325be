from odoo.tests import tagged

from .common import ContractCase

TOKEN = '<span class="o_guarantee_placeholder" contenteditable="false" t-out="%s">%s</span>'


@tagged("post_install", "-at_install")
class TestTemplateTokens(ContractCase):
    """The template editor shows placeholders as visible tokens that cannot be typed into;
    saving keeps them and filling still puts the values in their place (issue 29)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._approved_project(amount=3000000, fee_rate=1.5, margin_rate=10)
        cls.template = cls.env["guarantee.contract.template"]._find_for("entrusted", cls.project)

    def test_placeholders_are_stored_as_tokens(self):
        self.template.with_user(self.gadmin).body = (
            '<div><p>人民币（大写）<t t-out="amount_words"/>（小写：<t t-out="amount_figures"/>）'
            '，债权人<t t-out="creditor.name or \'\'"/></p></div>'
        )
        body = str(self.template.body)
        words = TOKEN % ("amount_words", "【担保金额（大写）】")
        figures = TOKEN % ("amount_figures", "【担保金额（小写）】")
        self.assertIn("人民币（大写）" + words + "（小写：" + figures + "）", body)
        self.assertIn(TOKEN % ("creditor.name or ''", "【债权人名称】"), body)
        self.assertNotIn("<t ", body)

    def test_the_shipped_template_shows_its_placeholders(self):
        body = str(self.template.body)
        self.assertIn(TOKEN % ("amount_words", "【担保金额（大写）】"), body)
        self.assertNotIn('<t t-out="amount_words"', body)

    def test_saving_from_the_editor_keeps_the_tokens_and_the_contract_has_the_values(self):
        # what the editor sends back: the tokens as they were, the text around them edited
        edited = (
            "<div><h1>委托保证合同</h1>"
            "<p>担保金额为人民币（大写）" + TOKEN % ("amount_words", "【担保金额（大写）】")
            + "（小写：" + TOKEN % ("amount_figures", "【担保金额（小写）】") + "），"
            "年费率" + TOKEN % ("'%.2f' % fee_rate", "【担保费率】") + "%。</p></div>"
        )
        self.template.with_user(self.gadmin).body = edited
        self.template.invalidate_recordset()
        body = str(self.template.body)
        for expression, label in (("amount_words", "【担保金额（大写）】"),
                                  ("amount_figures", "【担保金额（小写）】"),
                                  ("'%.2f' % fee_rate", "【担保费率】")):
            self.assertIn(TOKEN % (expression, label), body)
        # saved again unchanged: nothing moves
        self.template.with_user(self.gadmin).body = body
        self.assertEqual(str(self.template.body), body)

        self.project.with_user(self.pm_a).action_generate_contracts()
        contract = self.project.contract_ids.filtered(lambda c: c.kind == "entrusted")
        text = str(contract.body)
        # 3,000,000 in words and figures, fee rate 1.50 (by hand)
        self.assertIn(
            "担保金额为人民币（大写）叁佰万元整（小写：¥3,000,000.00），年费率1.50%。", text)
        for leftover in ("o_guarantee_placeholder", "contenteditable", "【", "t-out"):
            self.assertNotIn(leftover, text)
