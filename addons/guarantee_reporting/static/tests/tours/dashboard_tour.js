/** @odoo-module **/

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("guarantee_reporting_dashboard_tour", {
    url: "/odoo/action-guarantee_reporting.guarantee_dashboard_action",
    steps: () => [
        {
            content: "The exposure cards are shown",
            trigger: ".o_guarantee_dashboard .o_gd_kpi[data-key='balance']",
        },
        {
            content: "Colour the heat map by non-performing rate",
            trigger: ".o_guarantee_dashboard .o_gd_metric:last",
            run: "click",
        },
        {
            content: "Open the projects of a heat-map cell",
            trigger: ".o_guarantee_dashboard .o_gd_heat_map .o_gd_cell",
            run: "click",
        },
        {
            content: "The projects of the cell are listed",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
