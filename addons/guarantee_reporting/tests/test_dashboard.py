from datetime import datetime, time, timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import GuaranteeReportingCase


@tagged("post_install", "-at_install")
class TestDashboardData(GuaranteeReportingCase):
    """The one JSON-RPC method behind the dashboard, on the fixed portfolio."""

    def test_exposure_cards_match_the_figures_and_drill_down(self):
        data = self.figures().dashboard_data({"manager_id": self.pm_gold.id})
        cards = {card["key"]: card for card in data["exposure"]}
        self.assertEqual(cards["balance"]["value"], 18534567.89)
        self.assertEqual(cards["liability_balance"]["value"], 14075925.92)
        self.assertEqual(cards["leverage"]["value"], 0.140759)
        self.assertEqual(cards["compensation"]["value"], 1020000.0)
        action = cards["balance"]["action"]
        self.assertEqual(action["res_model"], "guarantee.project")
        projects = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(projects, self.a | self.b | self.c | self.d | self.e | self.f | self.n)
        npl = self.env["guarantee.project"].search(cards["npl_rate"]["action"]["domain"])
        self.assertEqual(npl, self.b)
        new = self.env["guarantee.report.flow"].search(cards["new"]["action"]["domain"])
        self.assertEqual(new.project_id, self.n)

    def test_past_date_reads_snapshots_and_drills_to_them(self):
        data = self.figures().dashboard_data({"date": str(self.d0),
                                              "manager_id": self.pm_gold.id})
        cards = {card["key"]: card for card in data["exposure"]}
        self.assertEqual(cards["balance"]["value"], 21234567.89)
        action = cards["balance"]["action"]
        self.assertEqual(action["res_model"], "guarantee.report.position")
        rows = self.env[action["res_model"]].search(action["domain"])
        self.assertIn(self.r, rows.project_id)  # released since, still in force on d0

    def test_heat_map_cells_add_up_and_open_their_projects(self):
        data = self.figures().dashboard_data({"manager_id": self.pm_gold.id})
        cells = data["heat_map"]["cells"]
        self.assertAlmostEqual(sum(cell["balance"] for cell in cells), 18534567.89, places=2)
        zhejiang = self.env.ref("base.state_cn_ZJ")
        self.assertEqual([r["id"] for r in data["heat_map"]["regions"]], [zhejiang.id])
        cell = cells[0]
        opened = self.env["guarantee.project"].search(cell["action"]["domain"])
        self.assertEqual(len(opened), cell["count"])
        self.assertEqual(round(sum(opened.mapped("balance")), 2), cell["balance"])

    def test_staff_board_of_the_month(self):
        # the day of the fixture's entries: the reader's own "today" is another day from 16:00
        # UTC when the two users are in different time zones
        data = self.figures().dashboard_data({"date": str(self.today),
                                              "manager_id": self.pm_gold.id})
        (row,) = [r for r in data["staff"] if r["manager_id"] == self.pm_gold.id]
        self.assertEqual(row["completed"], 1)  # N
        self.assertEqual(row["cycle_days"], 6.0)
        self.assertEqual(row["fee_collection_rate"], 0.599996)
        self.assertEqual(row["compensation"], 1020000.0)
        self.assertEqual(row["recovery"], 300000.0)
        opened = self.env["guarantee.project"].search(row["action"]["domain"])
        self.assertEqual(opened, self.n)

    def test_staff_board_counts_what_its_drill_down_lists(self):
        """A project whose loan was released last month but whose activation was logged in
        this one (a ledger import, a late entry) is not new business of the month: the board
        counted state-log dates and its drill-down release dates (issue 29)."""
        late = self._golden("L", "small", 600_000)  # released 40 days before the period
        self.assertTrue(late.state_log_ids.filtered(
            lambda log: log.state == "active" and log.date.date() >= self.date_from))
        # and one released in the period, accepted two days before (by hand: 2 and 6 days)
        on_time = self._golden("M", "small", 700_000, release_date=self.date_from)
        on_time.state_log_ids.filtered(lambda log: log.state == "accepted").write(
            {"date": datetime.combine(self.date_from - timedelta(days=2), time(15))})
        for user in (self.executive, self.pm_gold):
            data = self.figures(user).dashboard_data({"manager_id": self.pm_gold.id})
            (row,) = [r for r in data["staff"] if r["manager_id"] == self.pm_gold.id]
            opened = self.env["guarantee.project"].with_user(user).search(
                row["action"]["domain"])
            self.assertEqual(row["completed"], len(opened))
            self.assertEqual(set(opened.ids), {self.n.id, on_time.id})
            self.assertEqual(row["cycle_days"], 4.0)  # (6 + 2) / 2
            new = self.env["guarantee.report.flow"].search(
                [("kind", "=", "new"), ("manager_id", "=", self.pm_gold.id),
                 ("date", ">=", str(self.date_from)), ("date", "<=", str(self.today))])
            self.assertEqual(set(new.project_id.ids), set(opened.ids))

    def test_project_manager_gets_only_own_board(self):
        data = self.figures(self.pm_gold).dashboard_data({})
        self.assertTrue(data["filters"]["manager_locked"])
        self.assertEqual({r["manager_id"] for r in data["staff"]}, {self.pm_gold.id})
        self.assertEqual(data["exposure"][0]["value"], 18534567.89)
        with self.assertRaisesExactly(AccessError, "A project manager sees only their own figures"):
            self.figures(self.pm_a).dashboard_data({"manager_id": self.pm_gold.id})


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def setUp(self):
        super().setUp()
        # Build the asset bundles first: on a busy machine, building them during the page
        # load can outlast the browser's navigation time-out.
        for bundle in ("web.assets_web", "web.assets_tests"):
            assets = self.env["ir.qweb"]._get_asset_bundle(bundle)
            assets.js()
            assets.css()

    def test_dashboard_opens_and_drills_down_without_console_error(self):
        self.start_tour(
            "/odoo/action-guarantee_reporting.guarantee_dashboard_action",
            "guarantee_reporting_dashboard_tour",
            login="executive",
            timeout=180,
        )
