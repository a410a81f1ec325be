"""The whole guarantee walked in a real browser (headless Chromium), step by step, each step
by the demo user of the role that takes it, the way staff use the web client.

Each tour (static/tests/tours/guarantee_journey_tours.js) clicks through one role's screens;
between tours this test checks in the database what the screens claimed, and prepares only
what belongs to no role of this journey (the signatures of the e-signature provider).
A JavaScript error in the browser console fails the tour. With GUARANTEE_SCREENSHOTS_DIR set,
each tour leaves a picture of its last screen there (the README shows them).
"""

import base64
import io
import json
import os
import pathlib
from contextlib import contextmanager
from html import escape
from unittest.mock import patch
from urllib.parse import quote

from openpyxl import load_workbook

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

SCREENSHOTS_DIR = os.environ.get("GUARANTEE_SCREENSHOTS_DIR")


@tagged("post_install", "-at_install")
class TestGuaranteeJourneyTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            login: cls.env["res.users"].search([("login", "=", login)])
            for login in ("pm1", "pm2", "risk", "committee1", "committee2", "committee3",
                          "executive", "finance")
        }
        missing = [login for login, user in cls.users.items() if not user]
        assert not missing, f"the demo users {missing} are missing: the tours need demo data"
        # the demo company (l10n_cn's), where the demo users work
        company = cls.users["pm1"].company_id
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        company._guarantee_setup_accounting()
        company.write({"guarantee_committee_quorum": 3, "guarantee_committee_majority": 66.67})
        cls.env["guarantee.esign.provider"].search([]).active = False
        cls.bank = cls.env["res.partner"].create({"name": "杭州银行西湖支行", "is_company": True})
        cls.product = cls.env["guarantee.product"].create(
            {
                "name": "科技型企业流动资金贷款担保",
                "code": "TOUR-LOAN",
                "business_type": "loan",
                "committee_threshold": 2000000,
                "min_coverage_ratio": 50,
                "default_fee_rate": 1.2,
                "default_margin_rate": 10,
                "needs_guarantee_contract": True,
                "needs_counter_contracts": True,
            }
        )
        cls.env["guarantee.document.type"].create(
            {
                "name": "营业执照",
                "code": "TOUR-LICENSE",
                "stage": "accept",
                "required": True,
                "product_ids": [(6, 0, cls.product.ids)],
            }
        )
        tiers = cls.env["tier.definition"]
        tiers.search(
            [("model", "in", ("guarantee.project", "guarantee.compensation"))]
        ).active = False
        tiers.create(
            [
                {
                    "model_id": cls.env["ir.model"]._get_id("guarantee.project"),
                    "review_type": "group",
                    "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_risk").id,
                    "definition_domain": f"[('product_id', '=', {cls.product.id})]",
                },
                {
                    "model_id": cls.env["ir.model"]._get_id("guarantee.compensation"),
                    "review_type": "group",
                    "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_executive").id,
                },
            ]
        )

    def setUp(self):
        super().setUp()
        # the first page of a fresh database builds the web client's asset bundles, which can
        # take longer than the browser waits for a page: build them before any tour starts
        self.authenticate("pm1", "pm1")
        self.url_open("/odoo", timeout=300)
        self.url_open("/web/assets/debug/web.assets_web.js", timeout=300)

    # ------------------------------------------------------------------ helpers

    @contextmanager
    def _picture(self, picture):
        """Keep a picture of the browser's last screen in SCREENSHOTS_DIR, when it is set."""
        if not (SCREENSHOTS_DIR and picture):
            yield
            return
        stop = ChromeBrowser.stop

        def screenshot_then_stop(browser):
            if hasattr(browser, "ws"):
                shot = browser._websocket_request(
                    "Page.captureScreenshot", params={"format": "png"}
                )
                path = pathlib.Path(SCREENSHOTS_DIR) / f"{picture}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(base64.b64decode(shot["data"]))
            stop(browser)

        with patch.object(ChromeBrowser, "stop", screenshot_then_stop):
            yield

    def _tour(self, url, tour, login, picture=None):
        with self._picture(picture):
            return self.start_tour(url, tour, login=login, timeout=180)

    def _open(self, url, selector, login, picture, shown_in_full=None):
        """Open ``url`` as ``login`` and wait until ``selector`` shows, with no console error;
        the element ``shown_in_full`` must then fit its scrolling box (not squashed or cut)."""
        code = """
            const deadline = Date.now() + 30000;
            function fits(selector) {
                const element = selector && document.querySelector(selector);
                const box = element && element.parentElement;
                return !selector || (element && box.clientHeight + 1 >= element.offsetHeight);
            }
            (function wait() {
                if (document.querySelector(%(selector)s)) {
                    setTimeout(() => fits(%(full)s)
                        ? console.log("test successful")
                        : console.error("cut off: " + %(full)s), 500);
                } else if (Date.now() > deadline) {
                    console.error("never shown: " + %(selector)s);
                } else {
                    setTimeout(wait, 100);
                }
            })();
        """ % {"selector": json.dumps(selector), "full": json.dumps(shown_in_full)}
        with self._picture(picture):
            self.browser_js(url, code, login=login, timeout=60)

    @staticmethod
    def _url(action, record=None):
        return f"/odoo/action-{action}/{record.id if record else 'new'}"

    def _project(self):
        return self.env["guarantee.project"].search(
            [("partner_id.uscc", "=", "91330106MA2H7YUN0A")]
        )

    # ------------------------------------------------------------------ the journey

    def test_one_guarantee_through_its_life_in_the_browser(self):
        pm, risk, executive = (self.users[k] for k in ("pm1", "risk", "executive"))

        # 项目经理: the customer, the application, the intake documents, due diligence
        self._tour(
            "/odoo/action-guarantee_base.res_partner_action_guarantee_customer/new",
            "guarantee_tour_pm_application", "pm1", picture="project_form_reviewing",
        )
        project = self._project()
        self.assertEqual(len(project), 1, "the application was saved once")
        self.assertEqual(project.state, "reviewing")
        self.assertEqual(project.manager_id, pm)
        self.assertEqual(project.assistant_id, self.users["pm2"])
        self.assertEqual(project.amount, 3000000)
        self.assertEqual(project.document_ids.uploaded_by_id, pm)

        # 风控专员: document check, the risk tier, the counter-guarantee and its registration
        self._tour(self._url("guarantee_base.guarantee_project_action", project),
                   "guarantee_tour_risk_review", "risk")
        self.assertEqual(project.document_ids.state, "verified")
        self.assertEqual(project.document_ids.verified_by_id, risk)
        validated = project.review_ids.filtered(lambda r: r.status == "approved")
        self.assertEqual(validated.done_by, risk)
        mortgage = project.collateral_ids
        self.assertEqual(mortgage.appraised_value, 3000000)
        self.assertEqual(mortgage.state, "registered")

        # 评审委员: each member votes on their own ballot, the chair closes the vote
        members = [self.users[f"committee{i}"] for i in (1, 2, 3)]
        review = self.env["guarantee.review"].with_user(risk).create(
            {
                "project_id": project.id,
                "chair_id": members[0].id,
                "vote_ids": [(0, 0, {"member_id": member.id}) for member in members],
            }
        )
        review.action_start_voting()
        for member in members:
            self._tour(self._url("guarantee_base.guarantee_review_action", review),
                       "guarantee_tour_committee_vote", member.login)
        self._tour(self._url("guarantee_base.guarantee_review_action", review),
                   "guarantee_tour_committee_chair_decides", "committee1")
        self.assertEqual(review.vote_ids.mapped("vote"), ["approve"] * 3)
        self.assertEqual(review.outcome, "approved")

        # 管理层: the final approval
        self._tour(self._url("guarantee_base.guarantee_project_action", project),
                   "guarantee_tour_executive_approval", "executive")
        self.assertEqual(project.state, "approved")
        approval = project.state_log_ids.filtered(lambda log: log.state == "approved")
        self.assertEqual(approval.user_id, executive)

        # contracts signed at the e-signature provider (no role of this journey), fee schedule
        project.with_user(pm).action_generate_contracts()
        project.contract_ids.action_send_for_signing()
        project.contract_ids.action_mark_signed()
        project.with_user(self.users["finance"]).action_generate_fee_schedule()

        # 财务: the upfront fee, the margin deposit and the bank's loan release
        upfront = project.fee_ids.filtered("is_upfront")
        self._tour(self._url("guarantee_contract.guarantee_fee_action", upfront),
                   "guarantee_tour_finance_fee_and_margin", "finance")
        self.assertEqual(upfront.state, "paid")
        self.assertEqual(project.margin_balance, 300000)
        project.with_user(pm).action_contract()
        self._tour(self._url("guarantee_base.guarantee_project_action", project),
                   "guarantee_tour_loan_release", "finance", picture="project_form_active")
        self.assertEqual(project.state, "active")
        self.assertEqual(project.balance, 3000000)
        self.assertEqual(str(project.loan_release_date), "2026-01-05")
        self.assertTrue(project.message_ids.filtered(lambda m: "HZB-FK-20260105-001" in m.body))

        # on a phone: the executive finds the project on the kanban
        self.browser_size, self.touch_enabled = "390x844", True
        try:
            self._tour("/odoo/action-guarantee_base.guarantee_project_action?view_type=kanban",
                       "guarantee_tour_phone_kanban", "executive", picture="project_phone")
        finally:
            self.browser_size, self.touch_enabled = type(self).browser_size, False

        # the borrower defaults: the bank's overdue notice, compensation, recovery, closing
        self.env["guarantee.risk.signal"].create(
            {
                "project_id": project.id,
                "kind": "overdue",
                "source": "bank",
                "severity": "high",
                "days_overdue": 95,
                "description": "杭州银行西湖支行：借款人逾期 95 天",
            }
        )
        self._tour("/odoo/action-guarantee_accounting.guarantee_compensation_action/new",
                   "guarantee_tour_finance_compensation", "finance")
        compensation = project.compensation_ids
        self.assertEqual(compensation.principal, 1000000)
        self._tour(self._url("guarantee_accounting.guarantee_compensation_action", compensation),
                   "guarantee_tour_executive_validates_compensation", "executive")
        # one finance user confirms this transfer by hand (the second confirmation above the
        # configured amount is tested in guarantee_accounting)
        self.env.company.guarantee_manual_payment_limit = 2_000_000
        self._tour(self._url("guarantee_accounting.guarantee_compensation_action", compensation),
                   "guarantee_tour_finance_pays_compensation", "finance")
        self.assertEqual(compensation.payment_order_ids.mapped("state"), ["done"])
        self.assertEqual(project.state, "compensated")
        self._tour("/odoo/action-guarantee_accounting.guarantee_recovery_action/new",
                   "guarantee_tour_finance_recovery", "finance")
        self.assertEqual(project.recovery_ids.mapped("state"), ["posted"])
        self._tour(self._url("guarantee_base.guarantee_project_action", project),
                   "guarantee_tour_executive_closes", "executive")
        self.assertEqual(project.state, "closed")
        self.assertEqual(
            [log.user_id.login for log in project.state_log_ids.sorted("id")],
            ["pm1", "pm1", "pm1", "pm1", "executive", "pm1", "finance", "finance", "executive"],
            "each state was entered by the role that takes that step",
        )

    def test_main_screens_open_without_errors(self):
        """The screens staff live in, opened as the executive on the demo data: no console error
        (and their pictures for the README when GUARANTEE_SCREENSHOTS_DIR is set)."""
        project = self.env["guarantee.project"].search([("state", "=", "active")], limit=1)
        self.assertTrue(project, "the demo data has projects in force")
        screens = [
            ("/odoo/action-guarantee_base.guarantee_project_action?view_type=kanban",
             ".o_kanban_view .o_kanban_record", "project_kanban"),
            ("/odoo/action-guarantee_risk.guarantee_risk_signal_board_action",
             ".o_kanban_view .o_kanban_group .o_kanban_record", "warnings_board"),
            ("/odoo/action-guarantee_base.guarantee_project_action?view_type=timeline",
             ".o_timeline_view .vis-item", "project_timeline"),
            (self._url("guarantee_base.guarantee_project_action", project),
             ".o_form_view .o_statusbar_status", "project_form"),
        ]
        for url, selector, picture in screens:
            with self.subTest(screen=picture):
                self._open(url, selector, "executive", picture)

    def test_dashboard_on_a_desktop_and_a_phone(self):
        """The heat map and the staff board show in full under the figures, at both widths."""
        url = "/odoo/action-guarantee_reporting.guarantee_dashboard_action"
        for size, touch, picture in (("1366x1100", False, "dashboard_desktop"),
                                     ("390x844", True, "dashboard_phone")):
            self.browser_size, self.touch_enabled = size, touch
            try:
                self._open(url, ".o_gd_heat_map .o_gd_cell", "executive", picture,
                           shown_in_full=".o_gd_heat_map")
            finally:
                self.browser_size, self.touch_enabled = type(self).browser_size, False

    def _open_pdf(self, url, login, picture):
        """Open a PDF in the PDF viewer Odoo ships (pdf.js), wait until its first page's text is
        drawn: the file is a real PDF that a browser renders, with its Chinese text."""
        viewer = "/web/static/lib/pdfjs/web/viewer.html?file=" + quote(url, safe="")
        self._open(viewer, ".page[data-page-number='1'] .textLayer span", login, picture)

    def test_contract_pdf_renders_in_the_browser(self):
        contract = self.env["guarantee.contract"].search(
            [("project_id.state", "=", "active")], limit=1
        )
        self.assertTrue(contract, "the demo data has contracts of projects in force")
        attachment = contract._attach_pdf(contract._build_pdf(), suffix="")
        self.assertEqual(attachment.mimetype, "application/pdf")
        self._open_pdf(f"/web/content/{attachment.id}", "executive", "contract_pdf")

    def test_monthly_report_pdf_renders_in_the_browser(self):
        today = fields.Date.context_today(self.env["guarantee.report.run"])
        run = self.env["guarantee.report.run"]._generate(
            "monthly", today.replace(day=1), today, self.users["pm1"].company_id
        )
        self._open_pdf(
            f"/web/content/guarantee.report.run/{run.id}/pdf_file", "executive", "monthly_report"
        )

    def test_regulatory_workbook_shown_in_the_browser(self):
        """The supervisor's workbook, its first sheets laid out as HTML tables in the browser
        (the picture in the README); every sheet and its figures come from the XLSX itself."""
        today = fields.Date.context_today(self.env["guarantee.report.run"])
        run = self.env["guarantee.report.run"]._generate(
            "regulatory", today.replace(day=1), today, self.users["pm1"].company_id
        )
        book = load_workbook(io.BytesIO(base64.b64decode(run.xlsx_file)), data_only=True)
        html = "".join(self._sheet_html(sheet) for sheet in book.worksheets[:3])
        self.assertIn("业务情况", html)
        code = """
            document.body.innerHTML = %(html)s;
            document.body.style.cssText = "margin:16px;font:13px sans-serif;background:#fff";
            setTimeout(() => console.log("test successful"), 300);
        """ % {"html": json.dumps(html)}
        with self._picture("regulatory_xlsx"):
            self.browser_js("/guarantee_test_support/static/tests/blank.html", code, timeout=60)

    @staticmethod
    def _sheet_html(sheet):
        style = "border:1px solid #bbb;padding:2px 6px"
        rows = []
        last_column = min(sheet.max_column, 6)
        for row in sheet.iter_rows(max_row=min(sheet.max_row, 16), max_col=last_column):
            cells = "".join(
                f'<td style="{style}">{escape(_shown(cell.value))}</td>' for cell in row
            )
            rows.append(f"<tr>{cells}</tr>")
        return (
            f"<h3>{escape(sheet.title)}</h3>"
            f'<table style="border-collapse:collapse;margin-bottom:12px">{"".join(rows)}</table>'
        )


def _shown(value):
    """A cell as Excel shows it: amounts with thousands separators (totals are formulas whose
    values the workbook carries)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
