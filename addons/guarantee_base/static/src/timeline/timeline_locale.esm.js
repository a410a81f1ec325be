/** @odoo-module **/
// The timeline (OCA web_timeline, vis-timeline) writes its axis in English ("Mon 7",
// "December 2026") whatever the user's language: its labels are written here with the
// browser's Intl in the user's language (周一 7日, 2026年12月).
import {TimelineRenderer} from "@web_timeline/views/timeline/timeline_renderer.esm";
import {patch} from "@web/core/utils/patch";
import {user} from "@web/core/user";

const MINOR = {
    second: {second: "2-digit"},
    minute: {hour: "2-digit", minute: "2-digit"},
    hour: {hour: "2-digit", minute: "2-digit"},
    weekday: {weekday: "short", day: "numeric"},
    day: {day: "numeric"},
    week: {month: "short", day: "numeric"},
    month: {month: "short"},
    year: {year: "numeric"},
};
const MAJOR = {
    millisecond: {year: "numeric", month: "short", day: "numeric"},
    second: {year: "numeric", month: "short", day: "numeric"},
    minute: {year: "numeric", month: "short", day: "numeric"},
    hour: {year: "numeric", month: "short", day: "numeric"},
    weekday: {year: "numeric", month: "long"},
    day: {year: "numeric", month: "long"},
    week: {year: "numeric", month: "long"},
    month: {year: "numeric"},
};

function labeller(formats, locale) {
    return (date, scale) => {
        const options = formats[scale];
        if (!options) {
            return scale === "millisecond" ? String(date.milliseconds()) : "";
        }
        const day = typeof date.toDate === "function" ? date.toDate() : new Date(date);
        return new Intl.DateTimeFormat(locale, options).format(day);
    };
}

patch(TimelineRenderer.prototype, {
    init_timeline() {
        const locale = (user.lang || "en-US").replace("_", "-");
        this.options.format = {
            minorLabels: labeller(MINOR, locale),
            majorLabels: labeller(MAJOR, locale),
        };
        return super.init_timeline(...arguments);
    },
});
