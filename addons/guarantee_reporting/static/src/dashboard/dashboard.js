/** @odoo-module **/

import {Component, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

const NO_VALUE = "—";

/**
 * The management dashboard: today's exposure and limits, trends, the region × industry heat
 * map and the staff board, filtered by date, company, product and manager. Every figure
 * opens its records. All data comes from one call to guarantee.report.figures.dashboard_data.
 */
export class GuaranteeDashboard extends Component {
    static template = "guarantee_reporting.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({data: null, filters: {}, metric: "balance"});
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("guarantee.report.figures", "dashboard_data", [], {
            filters: this.state.filters,
        });
        this.state.filters = {
            date: data.date,
            company_id: data.filters.company_id,
            product_id: data.filters.product_id,
            manager_id: data.filters.manager_id,
        };
        this.state.data = data;
    }

    onFilter(key, ev) {
        const value = ev.target.value;
        this.state.filters[key] = key === "date" ? value : parseInt(value, 10) || false;
        return this.load();
    }

    setMetric(metric) {
        this.state.metric = metric;
    }

    open(action) {
        return this.actionService.doAction(action);
    }

    format(value, kind) {
        if (value === null || value === undefined) {
            return NO_VALUE;
        }
        if (kind === "pct") {
            return `${(value * 100).toFixed(2)}%`;
        }
        if (kind === "ratio") {
            return value.toFixed(2);
        }
        return value.toLocaleString("zh-CN", {
            minimumFractionDigits: 2,
            maximumFractionDigits: 2,
        });
    }

    cellAt(regionId, sectionId) {
        return this.state.data.heat_map.cells.find(
            (cell) => cell.region_id === regionId && cell.section_id === sectionId
        );
    }

    cellStyle(cell) {
        if (!cell) {
            return "";
        }
        const cells = this.state.data.heat_map.cells;
        const key = this.state.metric;
        const max = Math.max(...cells.map((c) => c[key] || 0)) || 1;
        const intensity = Math.min((cell[key] || 0) / max, 1);
        const hue = key === "npl_rate" ? 0 : 210;
        const light = 95 - Math.round(intensity * 50);
        return `background-color: hsl(${hue}, 70%, ${light}%); color: ${light < 65 ? "#fff" : "#212529"};`;
    }

    cellText(cell) {
        if (!cell) {
            return "";
        }
        return this.state.metric === "npl_rate"
            ? this.format(cell.npl_rate, "pct")
            : this.format(cell.balance / 10000, "ratio");
    }

    get trendPoints() {
        const trend = this.state.data.trend;
        const max = Math.max(...trend.map((p) => p.balance)) || 1;
        const step = trend.length > 1 ? 300 / (trend.length - 1) : 0;
        return {
            balance: trend
                .map((p, i) => `${(i * step).toFixed(1)},${(95 - (p.balance / max) * 85).toFixed(1)}`)
                .join(" "),
            liability: trend
                .map(
                    (p, i) =>
                        `${(i * step).toFixed(1)},${(95 - (p.liability_balance / max) * 85).toFixed(1)}`
                )
                .join(" "),
        };
    }

    get metricLabels() {
        return {balance: _t("Balance (10k yuan)"), npl_rate: _t("Non-performing rate")};
    }
}

registry.category("actions").add("guarantee_reporting.dashboard", GuaranteeDashboard);
