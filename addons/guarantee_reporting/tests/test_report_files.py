import base64
import io
import re
import warnings
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.guarantee_base.tests.refusals import RefusalAssertions
from odoo.addons.guarantee_platform.tools.pdf_pipeline import CANNOT_START

FORBIDDEN_LINE_START = "，。；：？！、）"
REGULATORY_SHEETS = ["业务情况", "责任余额计量", "放大倍数与集中度", "准备金", "代偿与追偿"]


def cn_day(day):
    """A date as zh_CN writes it (written here, not taken from the code under test)."""
    return "%d年%02d月%02d日" % (day.year, day.month, day.day)


def pdf_pages(content):
    from PyPDF2 import PdfReader

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(io.BytesIO(content))
        return reader, [page.extract_text() for page in reader.pages]


def embedded_fonts(reader):
    """(base font name, embedded?) of every font of the pages that is not one of the 14
    standard fonts (those have no descriptor)."""
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            holder = descendants[0].get_object() if descendants else font
            if "/FontDescriptor" not in holder:
                continue
            descriptor = holder["/FontDescriptor"].get_object()
            fonts.add((str(font["/BaseFont"]),
                       any(key in descriptor for key in ("/FontFile", "/FontFile2",
                                                         "/FontFile3"))))
    return fonts


@tagged("post_install", "-at_install")
class TestReportFiles(RefusalAssertions, TransactionCase):
    """The files of the demo database's reports, opened and read back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        if not cls.env["res.lang"]._lang_get("zh_CN"):
            cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company = cls.env.ref("base.demo_company_cn")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.Run = cls.env["guarantee.report.run"]
        cls.Figures = cls.env["guarantee.report.figures"]
        cls.today = fields.Date.context_today(cls.Run)
        cls.month_start = cls.today.replace(day=1)
        cls.env["guarantee.balance.snapshot"]._take_snapshot(cls.today - timedelta(days=1))

    def _xlsx(self, run, data_only=True):
        from openpyxl import load_workbook

        return load_workbook(io.BytesIO(base64.b64decode(run.xlsx_file)), data_only=data_only)

    def test_regulatory_workbook_has_the_supervisor_sheets_and_totals_tie(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["guarantee_reporting"], ["zh_CN"],
                                                        overwrite=True)
        run = self.Run._generate("regulatory", self.month_start, self.today, self.company)
        # a Chinese file name, whatever the language of the session that generates it
        self.assertEqual(run.xlsx_filename, "监管月报_%s_%s.xlsx" % (cn_day(self.month_start),
                                                                   cn_day(self.today)))
        self.assertFalse(run.pdf_file)
        book = self._xlsx(run)
        self.assertEqual(book.sheetnames, REGULATORY_SHEETS)
        pos = self.Figures.position(self.today, self.company)
        per = self.Figures.period(self.month_start, self.today, self.company)
        types = self.Figures.by_business_type(self.month_start, self.today, self.company)
        self.assertGreater(pos["balance"], 0, "the demo database has projects in force")

        business = book["业务情况"]
        self.assertEqual(business["A1"].value, "在保业务与发生额")
        total_row = 5 + len(types)
        self.assertEqual(business.cell(total_row, 1).value, "合计")
        self.assertEqual(business.cell(total_row, 2).value, pos["count"])
        self.assertAlmostEqual(business.cell(total_row, 3).value, float(pos["balance"]), 2)
        self.assertAlmostEqual(business.cell(total_row, 5).value, float(per["new"]), 2)
        self.assertAlmostEqual(business.cell(total_row, 6).value, float(per["released"]), 2)
        # the rows add up to the total the figures give
        self.assertAlmostEqual(
            sum(business.cell(row, 3).value for row in range(5, total_row)),
            float(pos["balance"]), 2,
        )
        formulas = self._xlsx(run, data_only=False)["业务情况"]
        self.assertEqual(formulas.cell(total_row, 3).value, "=SUM(C5:C%d)" % (total_row - 1))

        liability = book["责任余额计量"]
        liability_total = 5 + 6
        self.assertEqual(liability.cell(liability_total, 1).value, "融资担保合计")
        self.assertAlmostEqual(liability.cell(liability_total, 5).value,
                               float(pos["liability_balance"]), 2)
        self.assertAlmostEqual(liability.cell(liability_total, 3).value,
                               float(pos["financing_balance"]), 2)
        self.assertAlmostEqual(liability.cell(liability_total + 1, 3).value,
                               float(pos["non_financing_balance"]), 2)

        leverage = book["放大倍数与集中度"]
        first = pos["top_parties"][0]
        self.assertEqual(leverage["B5"].value, first["name"])
        self.assertAlmostEqual(leverage["C5"].value, float(first["liability_balance"]), 2)
        self.assertAlmostEqual(leverage["D5"].value, float(first["share"]), 6)

        compensation = book["代偿与追偿"]
        self.assertEqual(compensation["A5"].value, "本期解保额")
        self.assertAlmostEqual(compensation["B6"].value, float(per["compensation"]), 2)

    def test_monthly_pdf_has_charts_pages_embedded_font_and_chinese_line_breaks(self):
        run = self.Run._generate("monthly", self.month_start, self.today, self.company)
        content = base64.b64decode(run.pdf_file)
        self.assertTrue(content.startswith(b"%PDF"))
        reader, pages = pdf_pages(content)
        self.assertGreaterEqual(len(pages), 2)
        for number, text in enumerate(pages, start=1):
            self.assertIn("第 %d 页 共 %d 页" % (number, len(pages)), text)
        text = "\n".join(pages)
        pos = self.Figures.position(self.today, self.company)
        self.assertIn("在保余额", text)
        self.assertIn("{:,.2f}".format(pos["balance"]), text)
        self.assertIn("前十大风险敞口", text)
        self.assertIn(pos["top_parties"][0]["name"], text)
        for line in text.splitlines():
            self.assertNotIn(line[:1], set(FORBIDDEN_LINE_START), "line starts with %r" % line)
        fonts = embedded_fonts(reader)
        self.assertTrue(fonts)
        self.assertTrue(all(embedded for _name, embedded in fonts), fonts)
        self.assertTrue(any(re.search("CJK", name) for name, _embedded in fonts), fonts)
        self.assertTrue(set(FORBIDDEN_LINE_START) <= set(CANNOT_START))

    def test_monthly_workbook_ties_to_the_pdf_figures(self):
        run = self.Run._generate("monthly", self.month_start, self.today, self.company)
        book = self._xlsx(run)
        self.assertEqual(book.sheetnames, ["概览", "趋势", "前十大", "预警"])
        pos = self.Figures.position(self.today, self.company)
        self.assertEqual(book["概览"]["A5"].value, "在保余额")
        self.assertAlmostEqual(book["概览"]["B5"].value, float(pos["balance"]), 2)
        trend = book["趋势"]
        self.assertEqual(trend.max_row, 13)  # header and 12 months
        self.assertAlmostEqual(trend.cell(13, 2).value, float(pos["balance"]), 2)

    def test_scheduled_job_generates_each_report_once_and_mails_it(self):
        first_of_next = self.month_start + relativedelta(months=1)
        runs = self.Run._cron_generate(first_of_next)
        self.assertEqual(sorted(runs.mapped("kind")), ["daily", "monthly", "regulatory"])
        monthly = runs.filtered(lambda run: run.kind == "monthly")
        last_day = first_of_next - timedelta(days=1)
        self.assertEqual((monthly.date_from, monthly.date_to), (self.month_start, last_day))
        daily = runs.filtered(lambda run: run.kind == "daily")
        self.assertEqual((daily.date_from, daily.date_to), (last_day, last_day))
        executive = self.env.ref("guarantee_base.user_executive_zheng_res_partner")
        for run in runs:
            self.assertEqual(run.recipient_ids, executive)
            message = run.message_ids.filtered(lambda m: executive in m.partner_ids)
            self.assertEqual(len(message), 1)
            names = sorted(message.attachment_ids.mapped("name"))
            expected = sorted(filter(None, [run.xlsx_filename, run.pdf_filename]))
            self.assertEqual(names, expected)
        self.assertEqual(self.Run._cron_generate(first_of_next), runs)
        self.assertEqual(self.Run.search_count([("date_to", "=", last_day)]), 3)
        # a day that is neither a Monday nor the first of a month: the daily report only
        plain = first_of_next + timedelta(days=1 if first_of_next.weekday() != 6 else 2)
        self.assertEqual(self.Run._cron_generate(plain).mapped("kind"), ["daily"])

    def test_history_is_read_by_executives_not_by_project_managers(self):
        yesterday = self.today - timedelta(days=1)
        run = self.Run._generate("daily", yesterday, yesterday, self.company)
        executive = new_test_user(self.env, "t_rep_exec", company_id=self.company.id,
                                  groups="guarantee_base.group_guarantee_executive")
        manager = new_test_user(self.env, "t_rep_pm", company_id=self.company.id,
                                groups="guarantee_base.group_guarantee_project_manager")
        self.assertTrue(run.with_user(executive).xlsx_file)
        with self.assertRaisesExactly(
            AccessError, r'不允许访问"已生成的担保报表"（guarantee\.report\.run）记录。'
        ):
            run.with_user(manager).read(["xlsx_file"])
        with self.assertRaisesExactly(
            AccessError, r'不允许修改"已生成的担保报表"（guarantee\.report\.run）记录。'
        ):
            run.with_user(executive).write({"date_sent": fields.Datetime.now()})


@tagged("post_install", "-at_install")
class TestReportsOnDemand(RefusalAssertions, TransactionCase):
    """Reports on demand for the roles that read them: kind, period and format chosen, kept
    with the scheduled ones, named in Chinese with Chinese dates (issue 29)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["res.lang"]._lang_get("zh_CN"):
            cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company = cls.env.ref("base.demo_company_cn")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.Run = cls.env["guarantee.report.run"]
        cls.today = fields.Date.context_today(cls.Run)
        # last month, by hand
        cls.last_month_end = cls.today.replace(day=1) - timedelta(days=1)
        cls.last_month_start = cls.last_month_end.replace(day=1)
        groups = "guarantee_base.group_guarantee_"
        cls.finance = new_test_user(cls.env, "t_od_fin", company_id=cls.company.id,
                                    groups=groups + "finance")
        cls.executive = new_test_user(cls.env, "t_od_exec", company_id=cls.company.id,
                                      groups=groups + "executive")
        cls.manager = new_test_user(cls.env, "t_od_pm", company_id=cls.company.id,
                                    groups=groups + "project_manager")

    def _request(self, user, **values):
        return self.env["guarantee.report.request.wizard"].with_user(user).with_company(
            self.company).create(dict({"company_id": self.company.id}, **values))

    def test_last_months_report_on_demand_is_kept_with_the_scheduled_ones(self):
        wizard = self._request(self.finance, kind="monthly", file_format="pdf")
        self.assertEqual((wizard.date_from, wizard.date_to),
                         (self.last_month_start, self.last_month_end))
        action = wizard.action_generate()
        run = self.Run.search([("kind", "=", "monthly"),
                               ("date_from", "=", self.last_month_start),
                               ("date_to", "=", self.last_month_end)])
        self.assertEqual(len(run), 1)
        self.assertEqual((run.origin, run.requested_by_id), ("on_demand", self.finance))
        period = "%s至%s" % (cn_day(self.last_month_start), cn_day(self.last_month_end))
        self.assertEqual(run.name, "月报 " + period)
        self.assertEqual(run.pdf_filename, "月报_%s_%s.pdf" % (
            cn_day(self.last_month_start), cn_day(self.last_month_end)))
        self.assertEqual(action["url"], "/web/content/guarantee.report.run/%d/pdf_file/%s"
                         "?download=true" % (run.id, run.pdf_filename))
        _reader, pages = pdf_pages(base64.b64decode(run.pdf_file))
        self.assertIn("报告期：" + period, pages[0].replace("\n", ""))
        # an executive asking for the same period gets the same report, in Excel
        again = self._request(self.executive, kind="monthly").action_generate()
        self.assertEqual(again["url"], "/web/content/guarantee.report.run/%d/xlsx_file/%s"
                         "?download=true" % (run.id, run.xlsx_filename))
        # and the job of the first of this month finds it
        self.assertIn(run, self.Run._cron_generate(self.today.replace(day=1)))
        self.assertEqual(self.Run.search_count([("kind", "=", "monthly"),
                                                ("date_to", "=", self.last_month_end)]), 1)
        self.assertIn(run, self.Run.with_user(self.finance).search([("origin", "=", "on_demand")]))

    def test_a_daily_report_of_a_chosen_day_in_excel(self):
        day = self.today - timedelta(days=3)
        wizard = self._request(self.executive, kind="daily")
        # yesterday in the executive's own time zone (the set-up's user is in another one: from
        # 16:00 UTC their days differ)
        their_today = fields.Date.context_today(self.Run.with_user(self.executive))
        self.assertEqual((wizard.date_from, wizard.date_to), (their_today - timedelta(days=1),) * 2)
        wizard.write({"date_from": day, "date_to": day})
        wizard.action_generate()
        run = self.Run.search([("kind", "=", "daily"), ("date_to", "=", day)])
        self.assertEqual(run.name, "日报 " + cn_day(day))
        self.assertEqual(run.xlsx_filename, "日报_%s_%s.xlsx" % (cn_day(day), cn_day(day)))

    def test_what_cannot_be_asked(self):
        with self.assertRaisesExactly(UserError, "A report covers days that have ended"):
            self._request(self.finance, kind="daily", date_from=self.today,
                          date_to=self.today).action_generate()
        with self.assertRaisesExactly(UserError, "The regulatory report is an Excel workbook"):
            self._request(self.finance, kind="regulatory", file_format="pdf").action_generate()
        with self.assertRaisesExactly(UserError, "The period starts after it ends"):
            self._request(self.finance, kind="monthly", date_from=self.last_month_end,
                          date_to=self.last_month_start).action_generate()
        with self.assertRaisesExactly(AccessError, "You are not allowed to create"):
            self._request(self.manager, kind="monthly")
