from odoo.tests import TransactionCase, tagged


@tagged("at_install")
class TestBooksInChinese(TransactionCase):
    """The OCA account_financial_report screens finance opens from Reporting ▸ Company Books
    (trial balance, general ledger, open items, aged partner balance) show in Chinese: their
    menus' actions, wizard fields and buttons, report titles and HTML report headings. The
    translations are kept in guarantee_reporting/i18n_extra/zh_CN.po (issue 27); the expected
    words are written here by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["guarantee_reporting"], ["zh_CN"], overwrite=True
        )
        cls.zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def _ref(self, xmlid):
        return self.zh.ref(f"account_financial_report.{xmlid}")

    def test_the_four_screens_and_their_reports_have_chinese_titles(self):
        titles = {
            "action_trial_balance_wizard": "科目余额表",
            "action_general_ledger_wizard": "总分类账",
            "action_open_items_wizard": "未清项",
            "action_aged_partner_balance_wizard": "往来账龄分析",
            "action_report_trial_balance_html": "科目余额表",
            "action_print_report_general_ledger_qweb": "总分类账",
            "action_print_report_open_items_html": "未清项",
            "action_print_report_aged_partner_balance_qweb": "往来账龄分析",
        }
        self.assertEqual({xmlid: self._ref(xmlid).name for xmlid in titles}, titles)

    def test_wizard_fields_are_labelled_in_chinese(self):
        labels = {
            "trial.balance.report.wizard": {
                "date_range_id": "日期范围",
                "target_move": "目标分录",
                "hide_account_at_0": "隐藏余额为零的科目",
                "show_partner_details": "显示合作伙伴明细",
                "partner_ids": "筛选合作伙伴",
                "account_ids": "筛选科目",
                "foreign_currency": "显示外币",
            },
            "general.ledger.report.wizard": {
                "date_from": "起始日期",
                "centralize": "启用汇总",
                "grouped_by": "分组依据",
                "account_journal_ids": "筛选日记账",
            },
            "open.items.report.wizard": {
                "date_at": "截止日期",
                "receivable_accounts_only": "仅应收科目",
                "payable_accounts_only": "仅应付科目",
            },
            "aged.partner.balance.report.wizard": {
                "show_move_line_details": "显示分录明细",
                "age_partner_config_id": "账龄区间设置",
            },
        }
        found = {
            model: {
                name: field["string"]
                for name, field in self.zh[model].fields_get(list(strings)).items()
            }
            for model, strings in labels.items()
        }
        self.assertEqual(found, labels)
        selection = dict(
            self.zh["trial.balance.report.wizard"].fields_get(["target_move"])["target_move"][
                "selection"
            ]
        )
        self.assertEqual(selection, {"posted": "全部已过账分录", "all": "全部分录"})

    def test_wizard_buttons_and_hints_are_in_chinese(self):
        for xmlid in (
            "trial_balance_wizard",
            "general_ledger_wizard",
            "open_items_wizard",
            "aged_partner_balance_wizard",
        ):
            view = self._ref(xmlid)
            arch = self.zh[view.model].get_view(view.id, "form")["arch"]
            with self.subTest(view=xmlid):
                for word in ('string="查看"', 'string="导出 PDF"', 'string="导出 XLSX"',
                             'string="取消"', "筛选科目（留空为全部）"):
                    self.assertIn(word, arch)
                for word in ('string="View"', "Export PDF", "(empty for all)"):
                    self.assertNotIn(word, arch)

    def test_html_report_headings_are_in_chinese(self):
        headings = {
            "report_trial_balance_base": "科目余额表 -",
            "report_general_ledger_base": "总分类账 -",
            "report_open_items_base": "未清项 -",
            "report_aged_partner_balance_base": "往来账龄分析 -",
            "report_trial_balance_lines_header": "期初余额",
            "report_general_ledger_lines": "累计余额",
            "report_aged_partner_balance_lines_header": "未到期",
        }
        for xmlid, heading in headings.items():
            with self.subTest(view=xmlid):
                self.assertIn(heading, self._ref(xmlid).arch)
