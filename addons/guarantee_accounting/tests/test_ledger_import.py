import base64
import datetime
import io
from decimal import Decimal

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import BaseCase, new_test_user, tagged

from odoo.addons.queue_job.job import Job

from ..tools import ledger_import
from ..tools import ledger_sample as ledger_factory
from .common import GuaranteeAccountingCase


class TestLedgerCleaning(BaseCase):
    """The cleaning rules of old ledgers, as pure functions."""

    def test_full_width_digits_and_spaces_are_cleaned(self):
        self.assertEqual(ledger_import.clean_text(" 杭州　示例 有限公司 "), "杭州示例有限公司")
        self.assertEqual(ledger_import.parse_amount("５００"), 500.0)

    def test_amounts_in_wan_and_yi_become_yuan(self):
        unit = ledger_import.header_unit("担保金额（万元）")
        self.assertEqual(unit, Decimal(10000))
        self.assertEqual(ledger_import.parse_amount(500, unit), 5000000.0)
        self.assertEqual(ledger_import.parse_amount("1.2亿元", unit), 120000000.0)
        self.assertEqual(ledger_import.parse_amount("1,234.50元", unit), 1234.5)
        self.assertIsNone(ledger_import.parse_amount("", unit))
        with self.assertRaises(ledger_import.CellError):
            ledger_import.parse_amount("五百万", unit)

    def test_chinese_iso_compact_and_excel_dates_are_read(self):
        expected = datetime.date(2023, 5, 1)
        for value in ("2023年5月1日", "2023-05-01", "2023/5/1", "2023.5.1", "20230501",
                      "２０２３年５月１日", 45047, datetime.datetime(2023, 5, 1, 0, 0)):
            self.assertEqual(ledger_import.parse_date(value), expected, value)
        with self.assertRaises(ledger_import.CellError):
            ledger_import.parse_date("2023年13月1日")

    def test_yes_no_are_read(self):
        self.assertTrue(ledger_import.parse_bool("是"))
        self.assertFalse(ledger_import.parse_bool("否"))
        with self.assertRaises(ledger_import.CellError):
            ledger_import.parse_bool("也许")

    def test_usual_chinese_headers_are_recognised(self):
        mapping = ledger_import.recognise_headers(
            ["台账编号", "借款人", "证件号码", "担保金额（万元）", "贷款银行", "放款日期", "到期日",
             "在保余额(万元)", "五级分类", "项目状态", "备注"]
        )
        self.assertEqual(mapping["台账编号"], "legacy_ref")
        self.assertEqual(mapping["借款人"], "partner_name")
        self.assertEqual(mapping["担保金额（万元）"], "amount")
        self.assertEqual(mapping["贷款银行"], "creditor")
        self.assertEqual(mapping["项目状态"], "state")
        self.assertNotIn("备注", mapping)

    def test_identifiers_check_digits(self):
        good_company = ledger_factory.company_uscc(1)
        good_person = ledger_factory.person_id(1)
        self.assertEqual(ledger_import.check_identifier(good_company)[1:], ("company", None))
        self.assertEqual(ledger_import.check_identifier(good_person)[1:], ("person", None))
        wrong_person = good_person[:-1] + ("1" if good_person[-1] != "1" else "2")
        self.assertEqual(ledger_import.check_identifier(wrong_person)[2],
                         "wrong ID card check digit")
        wrong_company = good_company[:-1] + ("A" if good_company[-1] != "A" else "B")
        self.assertEqual(ledger_import.check_identifier(wrong_company)[2],
                         "wrong USCC check character")


@tagged("post_install", "-at_install")
class TestLedgerImport(GuaranteeAccountingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the guarantee administrator who migrates the ledgers also maintains contacts
        cls.importer = new_test_user(
            cls.env, "t_importer",
            groups="guarantee_base.group_guarantee_admin,base.group_partner_manager",
        )
        # reasons are compared in English, whatever the database's default language
        cls.Wizard = cls.env["guarantee.import.wizard"].with_user(cls.importer).with_context(
            lang="en_US"
        )

    def _rows(self, count, prefix="TZ"):
        return ledger_factory.ledger_rows(count, self.product.name, self.bank.name, prefix)

    def _check(self, rows, headers=None, **wizard_vals):
        wizard = self.Wizard.create(dict(
            file=ledger_factory.ledger_xlsx(rows, headers), filename="旧台账.xlsx", **wizard_vals
        ))
        wizard.action_check()
        return wizard

    def _perform_jobs(self, log):
        """Run the queued import job of ``log`` as the job runner would."""
        records = self.env["queue.job"].search(
            [("model_name", "=", log._name), ("method_name", "=", "_run_import"),
             ("state", "=", "pending")]
        ).filtered(lambda job: job.records == log)
        self.assertEqual(len(records), 1)
        Job.load(self.env, records.uuid).perform()

    def _projects(self, prefix="TZ"):
        return self.env["guarantee.project"].search([("legacy_ref", "=like", prefix + "-%")])

    def test_template_headers_are_all_recognised(self):
        wizard = self.Wizard.create({})
        action = wizard.action_download_template()
        self.assertIn("/template/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template)))
        headers = [cell.value for cell in book.active[1]]
        mapping = ledger_import.recognise_headers(headers)
        self.assertEqual(set(mapping.values()), {t for t, _h in ledger_import.COLUMNS})

    def test_bad_rows_are_reported_by_row_column_and_reason_and_nothing_is_written(self):
        rows = self._rows(7, prefix="BAD")
        rows[0][2] = rows[0][2][:-1] + ("A" if rows[0][2][-1] != "A" else "B")  # USCC check
        rows[1][5] = "不存在的品种"
        rows[2][9] = "2020-01-01"  # 到期日 before 放款日 (in force)
        rows[3][7] = -5  # negative amount, compensated row
        rows[4][12] = "在保"  # closed row said to be in force: no balance, a compensation
        rows[5][8] = "2021年2月30日"  # draft row with an impossible loan date
        partners_before = self.env["res.partner"].search_count([])
        wizard = self._check(rows)
        problems = {(line.row, line.column, line.reason) for line in wizard.line_ids}
        self.assertIn((2, "统一社会信用代码", "wrong USCC check character"), problems)
        self.assertIn((3, "业务品种", "unknown product"), problems)
        self.assertIn((4, "到期日", "before the loan date"), problems)
        self.assertIn((5, "担保金额(万元)", "negative amount"), problems)
        self.assertIn((6, "在保余额(万元)", "missing for a guarantee in force"), problems)
        self.assertIn((7, "放款日", "not a date"), problems)
        self.assertEqual(wizard.row_count, 7)
        self.assertEqual(wizard.error_row_count, 6)
        self.assertEqual(wizard.valid_row_count, 1)
        # the dry run wrote nothing but its report, and kept the file
        self.assertFalse(self._projects("BAD"))
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertTrue(wizard.log_id.attachment_id.datas)

    def test_only_the_valid_rows_are_imported_when_asked(self):
        rows = self._rows(7, prefix="OK")
        rows[6][2] = "123"
        wizard = self._check(rows)
        self.assertEqual(wizard.valid_row_count, 6)
        wizard.action_import()
        log = wizard.log_id
        self.assertEqual((log.state, log.created_count), ("done", 6))
        projects = self._projects("OK")
        self.assertEqual(len(projects), 6)
        self.assertNotIn("OK-00007", projects.mapped("legacy_ref"))
        by_ref = {p.legacy_ref: p for p in projects}
        active = by_ref["OK-00001"]
        self.assertTrue(active.is_imported)
        self.assertEqual(active.import_log_id, log)
        self.assertEqual(active.state, "active")
        self.assertEqual(active.amount, 5000000.0)  # "５００" 万元
        self.assertEqual(active.balance, 600000.0)  # 在保余额 60 万元, own share 100%
        self.assertEqual(active.loan_release_date, datetime.date(2021, 1, 4))  # 2021年1月4日
        self.assertEqual(by_ref["OK-00002"].risk_class, "special")
        released = by_ref["OK-00003"]
        self.assertEqual((released.state, released.balance), ("released", 0.0))
        compensated = by_ref["OK-00004"]
        self.assertEqual(compensated.state, "compensated")
        self.assertEqual(compensated.compensation_amount, 500000.0)
        self.assertEqual(compensated.compensation_receivable, 500000.0)
        self.assertEqual(by_ref["OK-00005"].state, "closed")
        self.assertEqual(by_ref["OK-00006"].state, "draft")
        self.assertEqual(active.partner_id.uscc, ledger_factory.company_uscc(0))
        self.assertTrue(active.partner_id.is_guarantee_customer)
        self.assertEqual(active.partner_id, by_ref["OK-00002"].partner_id)

    def test_reimport_updates_by_ledger_reference_without_duplicates(self):
        rows = self._rows(7, prefix="RE")
        self._check(rows).action_import()
        projects = self._projects("RE")
        partners = projects.partner_id
        rows[0][10] = 40  # in force balance 60 → 40 万元
        rows[2][1] = rows[3][1] = "台账客户00001有限公司更名"  # customer renamed
        wizard = self._check(rows)
        wizard.action_import()
        log = wizard.log_id
        self.assertEqual((log.created_count, log.updated_count, log.unchanged_count), (0, 1, 6))
        self.assertEqual(self._projects("RE"), projects)
        self.assertEqual(projects.partner_id, partners)
        by_ref = {p.legacy_ref: p for p in projects}
        self.assertEqual(by_ref["RE-00001"].balance, 400000.0)
        self.assertEqual(by_ref["RE-00003"].partner_id.name, "台账客户00001有限公司更名")

    def test_column_mapping_is_saved_per_source(self):
        headers = list(ledger_factory.HEADERS)
        headers[1] = "贷款主体全称"  # not a usual header
        with self.assertRaisesExactly(
            UserError, "These columns are missing from the file or not mapped: 客户名称"
        ) as refused:
            self._check(self._rows(2, prefix="MAP"), headers, new_source="老系统导出")
        self.assertIn("客户名称", str(refused.exception))
        source = self.env["guarantee.import.mapping"].with_user(self.importer).create({
            "name": "老系统导出",
            "line_ids": [(0, 0, {"header": "贷款主体全称", "target": "partner_name"})],
        })
        wizard = self._check(self._rows(2, prefix="MAP"), headers, mapping_id=source.id)
        self.assertEqual(wizard.error_row_count, 0)
        saved = source._as_dict()
        self.assertEqual(saved["贷款主体全称"], "partner_name")
        self.assertEqual(saved["担保金额(万元)"], "amount")

    def test_an_importer_without_contact_rights_is_told_before_anything_is_read(self):
        wizard = self.env["guarantee.import.wizard"].with_user(self.gadmin).create({
            "file": ledger_factory.ledger_xlsx(self._rows(1, prefix="NR")), "filename": "a.xlsx",
        })
        with self.assertRaisesExactly(
            UserError, "Importing a ledger creates customers: your user needs the right to create"
        ):
            wizard.action_check()
        self.assertFalse(self.env["guarantee.import.log"].search([("name", "=", "a.xlsx")]))

    def test_imported_state_cannot_be_forged_from_outside(self):
        vals = self._project_vals(state="active")
        with self.assertRaisesExactly(
            UserError, "A guarantee project is always created pending intake"
        ):
            self.env["guarantee.project"].with_context(guarantee_transition=True).create(vals)
        project = self._create_project()
        with self.assertRaisesExactly(
            UserError, "“Imported” of Guarantee Project change only through its actions, which"
        ):
            project.write({"is_imported": True})
        with self.assertRaisesExactly(
            UserError, "Only projects created by a ledger import can be updated from a ledger"
        ):
            project._write_imported({"amount": 2000000})

    def test_a_large_ledger_is_a_queued_job_and_a_second_import_changes_nothing(self):
        """5,000 rows (the benchmark tools/bench_ledger_import.py times the same import)."""
        rows = self._rows(5000, prefix="BIG")
        wizard = self._check(rows)
        self.assertEqual((wizard.row_count, wizard.error_row_count), (5000, 0))
        wizard.action_import()
        self.assertEqual(wizard.log_id.state, "queued")
        self.assertFalse(self._projects("BIG"))
        self._perform_jobs(wizard.log_id)
        log = wizard.log_id
        self.assertEqual((log.state, log.created_count, log.progress), ("done", 5000, 100.0))
        projects = self._projects("BIG")
        self.assertEqual(len(projects), 5000)
        self.assertEqual(len(projects.partner_id), 2500)
        history = self.env["guarantee.project.state.log"].search_count(
            [("project_id", "in", projects.ids)]
        )
        again = self._check(rows)
        again.action_import()
        self._perform_jobs(again.log_id)
        log = again.log_id
        self.assertEqual((log.created_count, log.updated_count, log.unchanged_count),
                         (0, 0, 5000))
        self.assertEqual(len(self._projects("BIG")), 5000)
        self.assertEqual(self.env["guarantee.project.state.log"].search_count(
            [("project_id", "in", projects.ids)]), history)
        self.assertEqual(projects.import_log_id, wizard.log_id)
