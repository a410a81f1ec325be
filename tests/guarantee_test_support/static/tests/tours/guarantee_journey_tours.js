/**
 * One guarantee walked through the web client, each step by the role that takes it.
 *
 * The Python side (tests/test_journey_tours.py) starts each tour as the demo user of the role,
 * on the record the step is about, and checks the database after every tour.
 */
import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

const CUSTOMER = "杭州云栖智造科技有限公司";
const CUSTOMER_USCC = "91330106MA2H7YUN0A";

function save() {
    return [
        { trigger: ".o_form_button_save:enabled", run: "click" },
        { trigger: ".o_form_saved", timeout: 30000 },
    ];
}

function selectMany2one(field, text, shown = text) {
    return [
        { trigger: `.o_field_widget[name='${field}'] input`, run: `edit ${text}` },
        { trigger: `.o-autocomplete--dropdown-item:contains('${shown}')`, run: "click" },
    ];
}

/** A project is found by its customer's name and shown by its number. */
function selectProject(text) {
    return selectMany2one("project_id", text, "DB");
}

function statusIs(state) {
    return { trigger: `.o_statusbar_status button[data-value='${state}'].o_arrow_button_current` };
}

function uploadTo(selector, name) {
    return {
        // file inputs are hidden behind their button
        trigger: `${selector}:not(:visible)`,
        run() {
            const input = document.querySelector(selector);
            const transfer = new DataTransfer();
            transfer.items.add(new File(["%PDF-1.4 营业执照扫描件"], name, { type: "application/pdf" }));
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

tours.add("guarantee_tour_pm_application", {
    steps: () => [
        // the customer archive: a new enterprise with its USCC
        { trigger: ".oe_title .o_field_widget[name='name'] input", run: `edit ${CUSTOMER}` },
        { trigger: ".o_field_widget[name='uscc'] input", run: `edit ${CUSTOMER_USCC}` },
        { trigger: ".o_field_widget[name='phone'] input", run: "edit 0571-88886666" },
        ...save(),
        // the application
        {
            trigger: ".o_main_navbar",
            run: "goToUrl /odoo/action-guarantee_base.guarantee_project_action/new",
        },
        ...selectMany2one("partner_id", CUSTOMER),
        ...selectMany2one("product_id", "科技型企业流动资金贷款担保"),
        ...selectMany2one("creditor_id", "杭州银行西湖支行"),
        { trigger: ".o_field_widget[name='amount'] input", run: "edit 3000000" },
        { trigger: ".o_field_widget[name='date_start'] input", run: "edit 2026-01-05" },
        ...selectMany2one("assistant_id", "李娜"),
        ...save(),
        // the documents the product asks for at intake
        { trigger: ".o_notebook .nav-link[name='documents']", run: "click" },
        { trigger: ".o_field_widget[name='document_ids'] .o_data_row .o_data_cell", run: "click" },
        uploadTo(".o_field_widget[name='document_ids'] .o_data_row input.o_input_file", "营业执照.pdf"),
        { trigger: ".o_field_widget[name='document_ids'] .o_attachment:contains('营业执照.pdf')" },
        ...save(),
        { trigger: "button[name='action_accept']", run: "click" },
        statusIs("accepted"),
        { trigger: "button[name='action_start_investigation']", run: "click" },
        statusIs("investigating"),
        { trigger: ".o_notebook .nav-link[name='investigation']", run: "click" },
        {
            trigger: ".o_field_widget[name='investigation_summary'] .odoo-editor-editable",
            run: "editor 企业经营稳定，现金流覆盖贷款本息，厂房抵押足值，建议提交评审。",
        },
        ...save(),
        { trigger: "button[name='action_submit_review']", run: "click" },
        statusIs("reviewing"),
    ],
});

tours.add("guarantee_tour_risk_review", {
    steps: () => [
        statusIs("reviewing"),
        // the documents checked by someone other than who uploaded them
        { trigger: ".o_notebook .nav-link[name='documents']", run: "click" },
        { trigger: ".o_field_widget[name='document_ids'] button[name='action_verify']", run: "click" },
        { trigger: ".o_field_widget[name='document_ids'] .o_data_row:not(:has(button[name='action_verify']))" },
        // the risk officer's approval tier
        { trigger: "button[name='validate_tier']", run: "click" },
        { trigger: ".alert-success:has(.fa-thumbs-up)" },
        // the counter-guarantee, recorded and registered
        {
            trigger: ".o_main_navbar",
            run: "goToUrl /odoo/action-guarantee_risk.guarantee_collateral_action/new",
        },
        ...selectProject("云栖智造"),
        { trigger: ".o_field_widget[name='name'] input", run: "edit 杭州市余杭区厂房抵押" },
        { trigger: ".o_field_widget[name='asset_type'] select", run: 'select "real_estate"' },
        ...selectMany2one("owner_id", "云栖智造"),
        { trigger: ".o_field_widget[name='appraised_value'] input", run: "edit 3000000" },
        {
            trigger: ".o_field_widget[name='registration_no'] input",
            run: "edit 浙(2026)余杭区不动产证明第0012345号",
        },
        {
            trigger: ".o_field_widget[name='registration_authority'] input",
            run: "edit 杭州市余杭区不动产登记中心",
        },
        { trigger: ".o_field_widget[name='registration_date'] input", run: "edit 2026-01-03" },
        ...save(),
        { trigger: "button[name='action_register']", run: "click" },
        statusIs("registered"),
    ],
});

tours.add("guarantee_tour_committee_vote", {
    steps: () => [
        { trigger: ".o_field_widget[name='vote_ids'] button[name='action_open_ballot']", run: "click" },
        { trigger: ".modal .o_field_widget[name='vote'] input[data-value='approve']", run: "click" },
        { trigger: ".modal .o_field_widget[name='opinion'] textarea", run: "edit 同意，反担保足值。" },
        { trigger: ".modal .o_form_button_save", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        { trigger: ".o_field_widget[name='vote_ids'] .o_data_row:not(:has(button[name='action_open_ballot']))" },
    ],
});

tours.add("guarantee_tour_committee_chair_decides", {
    steps: () => [
        { trigger: "button[name='action_decide']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='decided'].o_arrow_button_current" },
    ],
});

tours.add("guarantee_tour_executive_approval", {
    steps: () => [
        statusIs("reviewing"),
        { trigger: "button[name='action_approve']", run: "click" },
        statusIs("approved"),
    ],
});

tours.add("guarantee_tour_finance_fee_and_margin", {
    steps: () => [
        // the upfront fee
        { trigger: "button[name='action_mark_paid']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='paid'].o_arrow_button_current" },
        // the margin deposit
        {
            trigger: ".o_main_navbar",
            run: "goToUrl /odoo/action-guarantee_contract.guarantee_margin_action/new",
        },
        ...selectProject("云栖智造"),
        { trigger: ".o_field_widget[name='amount'] input", run: "edit 300000" },
        ...save(),
        { trigger: "button[name='action_done']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='done'].o_arrow_button_current" },
    ],
});

tours.add("guarantee_tour_loan_release", {
    steps: () => [
        statusIs("contracted"),
        { trigger: "button[name='action_open_loan_release_wizard']", run: "click" },
        {
            trigger: ".modal .o_field_widget[name='release_date'] input",
            run: "edit 2026-01-05",
        },
        { trigger: ".modal .o_field_widget[name='amount'] input", run: "edit 3000000" },
        {
            trigger: ".modal .o_field_widget[name='reference'] input",
            run: "edit HZB-FK-20260105-001",
        },
        { trigger: ".modal button[name='action_confirm']", run: "click" },
        statusIs("active"),
    ],
});

tours.add("guarantee_tour_finance_compensation", {
    steps: () => [
        ...selectProject("云栖智造"),
        { trigger: ".o_field_widget[name='demand_date'] input", run: "edit 2026-09-30" },
        { trigger: ".o_field_widget[name='principal'] input", run: "edit 1000000" },
        { trigger: ".o_field_widget[name='interest'] input", run: "edit 20000" },
        { trigger: ".o_field_widget[name='bank_reference'] input", run: "edit CUI-TOUR-001" },
        ...save(),
        { trigger: "button[name='action_approve']", run: "click" },
        { trigger: ".alert-warning:has(.fa-info-circle)" },
    ],
});

tours.add("guarantee_tour_executive_validates_compensation", {
    steps: () => [
        { trigger: "button[name='validate_tier']", run: "click" },
        { trigger: ".alert-success:has(.fa-thumbs-up)" },
    ],
});

tours.add("guarantee_tour_finance_pays_compensation", {
    steps: () => [
        { trigger: "button[name='action_approve']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='approved'].o_arrow_button_current" },
        { trigger: "button[name='action_create_payment_order']", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='request_id']" },
        { trigger: "button[name='action_mark_done']", run: "click" },
        // the transfer made by hand is confirmed with the bank's voucher number and document
        { trigger: ".modal .o_field_widget[name='voucher_ref'] input", run: "edit 杭银付款凭证-0001" },
        {
            trigger: ".modal .o_field_widget[name='document']",
            async run() {
                const input = this.anchor.querySelector("input[type='file']");
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4 voucher"], "付款凭证.pdf", { type: "application/pdf" })
                );
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        { trigger: ".modal .o_field_widget[name='document'] .o_clear_file_button" },
        { trigger: ".modal button[name='action_confirm']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='done'].o_arrow_button_current" },
    ],
});

tours.add("guarantee_tour_finance_recovery", {
    steps: () => [
        ...selectProject("云栖智造"),
        { trigger: ".o_field_widget[name='amount'] input", run: "edit 1020000" },
        ...save(),
        { trigger: "button[name='action_post']", run: "click" },
        { trigger: ".o_statusbar_status button[data-value='posted'].o_arrow_button_current" },
    ],
});

tours.add("guarantee_tour_executive_closes", {
    steps: () => [
        statusIs("compensated"),
        { trigger: "button[name='action_close']", run: "click" },
        statusIs("closed"),
    ],
});

tours.add("guarantee_tour_phone_kanban", {
    steps: () => [
        { trigger: ".o_kanban_view .o_kanban_record:contains('云栖智造')", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='partner_id']:contains('云栖智造')" },
        statusIs("active"),
    ],
});
