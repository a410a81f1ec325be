"""A working day for each role, in a real browser (headless Chromium), at desktop and phone
width (issue 29).

Each role's test logs in as the demo user of that role and opens, one after the other in the
same web client, every screen of its day (its home, its lists, a record form, its wizards). The
day fails on:

- a screen the role cannot open (the action or its records refused, an error dialog);
- a traceback or any other error in the browser console;
- a Latin word in the visible text of a screen, outside the allow-list: codes (letters next to
  digits or inside a number such as DB-2026-0001, upper-case abbreviations such as USCC, LPR,
  AAA, CNY, PDF), e-mail and web addresses, and the product names in ``ALLOWED_WORDS``.

The Python translation check cannot see OWL templates, selection values shown by code, data
records or chatter: this check reads what the screen shows. One browser per width and role.
"""

import json

from odoo.tests import HttpCase, tagged

from . import test_journey_tours

# Product and proper names that stay Latin in a Chinese interface
ALLOWED_WORDS = ["Odoo", "OdooBot", "Excel", "WeChat", "Chrome"]
DESKTOP, PHONE = ("1366x768", False), ("390x844", True)

DAY_SCRIPT = r"""
(async () => {
    const screens = %(screens)s;
    const allowed = new Set(%(allowed)s);
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const problems = [];
    const start = Date.now();
    while (!(odoo.__WOWL_DEBUG__ && document.querySelector(".o_action_manager .o_action"))
           && Date.now() - start < 60000) {
        await sleep(200);
    }
    const env = odoo.__WOWL_DEBUG__.root.env;
    async function settle() {
        const deadline = Date.now() + 20000;
        await sleep(300);
        const busy = ".o_loading_indicator, .o_blockUI, .o_view_sample_data_loading";
        while (Date.now() < deadline && document.querySelector(busy)) {
            await sleep(200);
        }
        await sleep(700);
    }
    function latinWords(text) {
        text = text.replace(/\S+@\S+/g, " ").replace(/https?:\/\/\S+/g, " ");
        const words = new Map();
        for (const match of text.matchAll(/[A-Za-z]+/g)) {
            const word = match[0];
            const before = text[match.index - 1] || " ";
            const after = text[match.index + word.length] || " ";
            if (/[0-9_\-./#:]/.test(before) || /[0-9_\-./#]/.test(after)) {
                continue; // part of a code or a number
            }
            if (word.length < 2 || /^[A-Z]{2,}$/.test(word) || allowed.has(word)) {
                continue;
            }
            if (!words.has(word)) {
                words.set(word, text.slice(Math.max(0, match.index - 12),
                                           match.index + word.length + 12).replace(/\s+/g, " "));
            }
        }
        return [...words].map(([word, context]) => `${word} («${context}»)`);
    }
    for (const screen of screens) {
        const options = { clearBreadcrumbs: true };
        if (screen.view_type) {
            options.viewType = screen.view_type;
        }
        if (screen.res_id) {
            options.props = { resId: screen.res_id };
        }
        try {
            await env.services.action.doAction(screen.action, options);
        } catch (error) {
            const reason = error && (error.message || (error.data && error.data.message));
            problems.push(`${screen.name}: cannot open (${reason || error})`);
            continue;
        }
        await settle();
        const errorDialog = document.querySelector(".o_error_dialog");
        if (errorDialog) {
            problems.push(`${screen.name}: error: ${errorDialog.innerText.slice(0, 300)}`);
        }
        if (!document.querySelector(".o_action_manager .o_action, .modal .o_form_view")) {
            problems.push(`${screen.name}: nothing shown`);
        }
        // the chatter of demo records and Odoo's own demo data (leads, partners, accounts)
        // were written by the install in English: those screens are read without them
        const hidden = [...document.querySelectorAll(screen.labels_only
            ? ".o-mail-Chatter, .o_data_row, .o_kanban_record, "
              + ".o_field_account_reconcile_oca_data, .o_field_selection_badge_uncheck"
            : ".o-mail-Chatter")];
        hidden.forEach((element) => element.classList.add("d-none"));
        const words = latinWords(document.body.innerText);
        hidden.forEach((element) => element.classList.remove("d-none"));
        if (words.length) {
            problems.push(`${screen.name}: Latin words: ${words.join(", ")}`);
        }
        for (const close of document.querySelectorAll(".modal .btn-close")) {
            close.click();
        }
        await sleep(200);
    }
    if (problems.length) {
        console.error(`%(role)s at ${window.innerWidth}px:\n` + problems.join("\n"));
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestRoleDayTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"]
        cls.users = {login: Users.search([("login", "=", login)])
                     for login in ("pm1", "risk", "committee1", "finance", "executive", "gadmin")}
        missing = [login for login, user in cls.users.items() if not user]
        assert not missing, f"the demo users {missing} are missing: the days need demo data"
        # Chinese as an installation in Chinese has it: the terms of every installed addon,
        # Odoo's and OCA's included (activating zh_CN in the demo loads only the addons
        # installed after it; --load-language=zh_CN or Settings ▸ Languages loads them all)
        cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
            "zh_CN")
        company = cls.users["pm1"].company_id
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        Project = cls.env["guarantee.project"]
        cls.own_project = Project.search([("manager_id", "=", cls.users["pm1"].id),
                                          ("state", "=", "active")], limit=1)
        cls.any_project = Project.search([("state", "=", "active")], limit=1)
        cls.classification = cls.env["guarantee.risk.classification"].search([], limit=1)
        cls.review = cls.env["guarantee.review"].search([], limit=1)
        cls.template = cls.env["guarantee.contract.template"].search([], limit=1)
        cls.compensation = cls.env["guarantee.compensation"].search([], limit=1)

    def setUp(self):
        super().setUp()
        # build the web client's bundles before the first browser waits for them
        self.authenticate("pm1", "pm1")
        self.url_open("/odoo", timeout=300)

    # (the module, not the class: a test class imported here would run twice)
    _picture = test_journey_tours.TestGuaranteeJourneyTours._picture

    def _day(self, login, screens, picture=None):
        """Open ``screens`` as ``login`` at both widths; with GUARANTEE_SCREENSHOTS_DIR set, the
        last screen of each width is kept as ``picture``-desktop/-phone.png (README)."""
        screens = [dict(zip(("name", "action", "view_type", "res_id", "labels_only"),
                            (*screen, None, None, False)))
                   for screen in screens]
        for screen in screens:
            record = screen["res_id"]
            screen["res_id"] = record.id if record else None
        code = DAY_SCRIPT % {"screens": json.dumps(screens),
                             "allowed": json.dumps(ALLOWED_WORDS), "role": login}
        for (size, touch), width in ((DESKTOP, "desktop"), (PHONE, "phone")):
            with self.subTest(width=size), self._picture(picture and f"{picture}-{width}"):
                self.browser_size, self.touch_enabled = size, touch
                try:
                    self.browser_js("/odoo", code, login=login, timeout=240)
                finally:
                    self.browser_size, self.touch_enabled = type(self).browser_size, False

    def test_project_manager_day(self):
        self._day("pm1", [
            ("my projects", "guarantee_base.guarantee_project_action_mine"),
            ("projects kanban", "guarantee_base.guarantee_project_action", "kanban"),
            ("own project", "guarantee_base.guarantee_project_action", "form", self.own_project),
            ("stage gantt", "guarantee_base.guarantee_project_stage_action"),
            ("customers", "guarantee_base.res_partner_action_guarantee_customer"),
            ("leads", "crm.crm_lead_all_leads", None, None, True),
            ("contracts", "guarantee_contract.guarantee_contract_action"),
            ("dashboard", "guarantee_reporting.guarantee_dashboard_action"),
        ])

    def test_risk_officer_day(self):
        self._day("risk", [
            ("projects", "guarantee_base.guarantee_project_action"),
            ("warnings board", "guarantee_risk.guarantee_risk_signal_board_action"),
            ("classifications", "guarantee_risk.guarantee_risk_classification_action"),
            ("classification", "guarantee_risk.guarantee_risk_classification_action", "form",
             self.classification),
            ("counter-guarantees", "guarantee_risk.guarantee_collateral_action"),
            ("collection", "guarantee_risk.guarantee_collection_action"),
            ("scorecards", "guarantee_scoring.guarantee_scorecard_action"),
            ("reports", "guarantee_reporting.guarantee_report_run_action"),
            ("report on demand", "guarantee_reporting.guarantee_report_request_wizard_action"),
        ])

    def test_committee_member_day(self):
        self._day("committee1", [
            ("my votes", "guarantee_base.guarantee_review_vote_action_mine"),
            ("meetings", "guarantee_base.guarantee_review_action"),
            ("meeting", "guarantee_base.guarantee_review_action", "form", self.review),
            ("projects", "guarantee_base.guarantee_project_action"),
        ])

    def test_finance_day(self):
        self._day("finance", [
            ("compensations", "guarantee_accounting.guarantee_compensation_action"),
            ("compensation", "guarantee_accounting.guarantee_compensation_action", "form",
             self.compensation),
            ("fees", "guarantee_contract.guarantee_fee_action"),
            ("margins", "guarantee_contract.guarantee_margin_action"),
            ("payment orders", "guarantee_accounting.guarantee_payment_order_action"),
            ("recoveries", "guarantee_accounting.guarantee_recovery_action"),
            ("bank reconciliation", "guarantee_accounting.guarantee_bank_reconcile_action", None,
             None, True),
            ("journal items", "account.action_move_journal_line", None, None, True),
            ("reports", "guarantee_reporting.guarantee_report_run_action"),
            ("back-fill", "guarantee_risk.guarantee_balance_backfill_wizard_action"),
        ])

    def test_executive_day(self):
        self._day("executive", [
            ("dashboard", "guarantee_reporting.guarantee_dashboard_action"),
            ("projects", "guarantee_base.guarantee_project_action"),
            ("project", "guarantee_base.guarantee_project_action", "form", self.any_project),
            ("balances", "guarantee_reporting.guarantee_report_position_action"),
            ("reports", "guarantee_reporting.guarantee_report_run_action"),
            ("limit overrides", "guarantee_risk.guarantee_limit_override_action"),
            ("meetings", "guarantee_base.guarantee_review_action"),
            ("stage gantt", "guarantee_base.guarantee_project_stage_action"),
        ], picture="stage-gantt")

    def test_guarantee_administrator_day(self):
        self._day("gadmin", [
            ("settings", "guarantee_base.res_config_settings_action_guarantee"),
            ("products", "guarantee_base.guarantee_product_action"),
            ("document types", "guarantee_base.guarantee_document_type_action"),
            ("contract templates", "guarantee_contract.guarantee_contract_template_action"),
            ("report recipients", "guarantee_reporting.guarantee_report_subscription_action"),
            ("approval tiers", "base_tier_validation.tier_definition_action"),
            ("integrity chain", "guarantee_platform.guarantee_hash_chain_action"),
            ("contract template", "guarantee_contract.guarantee_contract_template_action",
             "form", self.template),
        ], picture="template-tokens")
