"""Reads on a replica (issue 25): which of our methods Odoo may send to ``db_replica_host``.

Odoo 18 runs a JSON-RPC call (``/web/dataset/call_kw`` and ``call_button``) in a read-only
transaction, on the replica when one is configured, when the method is marked
``@api.readonly``; a write inside it fails (``ReadOnlySqlTransaction``) and Odoo retries the
whole request on the primary, logging a warning. These tests keep the list of our marked
methods reviewed, call each one over RPC in Odoo's read-only transaction (the test server
opens it ``SET TRANSACTION READ ONLY``, as a replica would refuse a write) and check it
answers without that retry, and that our writing entry points are never marked.
The same on real PostgreSQL streaming replication: test_streaming_replica.py.
"""

import logging
from unittest.mock import patch

from odoo import api
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.web.controllers.dataset import DataSet

# Every method of ours marked @api.readonly, by addon: what the web client calls to read.
# A new mark is a decision (does it write? a stale replica read acceptable?): add it here and
# to CALLS below.
MARKED = {
    ("guarantee_reporting", "dashboard_data"),
    ("guarantee_reporting", "database_role"),
    ("guarantee_base", "action_view_guarantee_projects"),
    ("guarantee_risk", "action_view_risk_signals"),
    ("guarantee_risk", "action_view_rows"),
    ("guarantee_risk", "action_view_financial_statements"),
    ("guarantee_risk", "action_view_guarantee_signals"),
    ("guarantee_risk", "action_view_due_diligence_reports"),
    ("guarantee_contract", "action_view_contracts"),
    ("guarantee_accounting", "action_view_compensations"),
    ("guarantee_accounting", "action_view_recoveries"),
    ("guarantee_accounting", "action_view_losses"),
    ("guarantee_accounting", "action_view_move"),
    ("guarantee_accounting", "action_view_share_claims"),
    ("guarantee_accounting", "action_view_invoice"),
    ("guarantee_api", "action_view_calls"),
}

# Entry points that write: they must run on the primary (never marked, never inherited a mark).
WRITES = [
    ("guarantee.project", "action_approve"),
    ("guarantee.project", "write"),
    ("guarantee.project", "create"),
    ("guarantee.fee", "action_create_invoice"),
    ("guarantee.project.repayment.wizard", "action_confirm"),
    ("guarantee.report.run", "create"),
    ("guarantee.balance.snapshot.run", "create"),
    ("res.partner", "write"),
]


def marked_methods(registry):
    """(addon, method) of every function of our addons that carries Odoo's readonly mark."""
    found = set()
    for model in registry.values():
        for cls in model.mro():
            for name, value in vars(cls).items():
                module = getattr(value, "__module__", "") or ""
                if getattr(value, "_readonly", False) and module.startswith(
                        "odoo.addons.guarantee_"):
                    found.add((module.split(".")[2], name))
    return found


def routed_readonly(registry, model, method):
    """What Odoo's /web/dataset/call_kw decides for ``model.method`` (DataSet's rule)."""
    for cls in registry[model].mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


@tagged("post_install", "-at_install")
class TestReplicaReads(HttpCase):
    def test_a_the_marked_methods_are_the_reviewed_list(self):
        self.assertEqual(marked_methods(self.registry), MARKED)
        # and the rule we read is Odoo's own (DataSet._call_kw_readonly's loop over the mro)
        self.assertTrue(hasattr(DataSet, "_call_kw_readonly"))

    def test_b_writing_entry_points_stay_on_the_primary(self):
        for model, method in WRITES:
            with self.subTest(model=model, method=method):
                self.assertFalse(routed_readonly(self.registry, model, method))
        # no action of ours but the views of related records is routed to a replica
        for addon, method in marked_methods(self.registry):
            if method.startswith("action_"):
                self.assertTrue(method.startswith("action_view_"), (addon, method))

    def _call(self, model, method, args, kwargs=None, button=False):
        route = "/web/dataset/call_button" if button else "/web/dataset/call_kw"
        return self.make_jsonrpc_request(f"{route}/{model}/{method}", {
            "model": model, "method": method, "args": args, "kwargs": kwargs or {},
        })

    def _calls(self):
        env = self.env
        project = env["guarantee.project"].search([("state", "=", "active")], limit=1)
        compensation = env["guarantee.compensation"].search([("move_id", "!=", False)], limit=1)
        fee = env["guarantee.fee"].search([("invoice_id", "!=", False)], limit=1)
        api_key = env["guarantee.api.key"].search([], limit=1)
        run = env["guarantee.balance.snapshot.run"].search([], limit=1) or env[
            "guarantee.balance.snapshot.run"].sudo().create({
                "date": "2026-01-31", "company_id": env.company.id})
        for record, what in ((project, "an active project"), (compensation, "a posted "
                             "compensation"), (fee, "an invoiced fee"), (api_key, "an API key")):
            self.assertTrue(record, f"the demo data has no {what}")
        return [
            ("guarantee.project", method, project)
            for method in ("action_view_contracts", "action_view_risk_signals",
                           "action_view_due_diligence_reports",
                           "action_view_financial_statements", "action_view_compensations",
                           "action_view_recoveries", "action_view_losses")
        ] + [
            ("res.partner", method, project.partner_id)
            for method in ("action_view_financial_statements",
                           "action_view_guarantee_signals", "action_view_guarantee_projects")
        ] + [
            ("guarantee.compensation", "action_view_move", compensation),
            ("guarantee.compensation", "action_view_share_claims", compensation),
            ("guarantee.fee", "action_view_invoice", fee),
            ("guarantee.api.key", "action_view_calls", api_key),
            ("guarantee.balance.snapshot.run", "action_view_rows", run),
        ]

    def test_c_each_marked_method_answers_in_a_readonly_transaction(self):
        called = {("guarantee_reporting", "dashboard_data"),
                  ("guarantee_reporting", "database_role")}
        calls = self._calls()
        http_logger = logging.getLogger("odoo.http")
        self.authenticate("executive", "executive")
        with self.assertNoLogs(http_logger, logging.WARNING):
            data = self._call("guarantee.report.figures", "dashboard_data", [{}])
            role = self._call("guarantee.report.figures", "database_role", [])
        self.assertIn("exposure", data)
        self.assertIn("trend", data)
        # the test server's read-only transaction stands for the replica; on the primary
        self.assertEqual((role["readonly"], role["in_recovery"]), (True, False))
        self.authenticate("admin", "admin")
        for model, method, record in calls:
            with self.subTest(model=model, method=method), \
                    self.assertNoLogs(http_logger, logging.WARNING):
                action = self._call(model, method, [record.ids], button=True)
                self.assertEqual(action["type"], "ir.actions.act_window")
            called |= {(cls.__module__.split(".")[2], method)
                       for cls in type(self.env[model]).mro()
                       if hasattr(vars(cls).get(method), "_readonly")}
        self.assertEqual(called, MARKED)

    def test_d_the_check_catches_a_marked_method_that_writes(self):
        """A marked method that writes is refused in the read-only transaction, and Odoo
        replays the request on the primary with a warning: what test_c looks for."""
        figures_class = type(self.env["guarantee.report.figures"])

        @api.readonly
        @api.model
        def database_role(self):
            self.env.cr.execute("UPDATE res_partner SET ref = ref WHERE id = %s",
                                [self.env.user.partner_id.id])
            return {"readonly": self.env.cr.readonly}

        self.authenticate("admin", "admin")
        with patch.object(figures_class, "database_role", database_role, create=True), \
                mute_logger("odoo.sql_db"), \
                self.assertLogs("odoo.http", logging.WARNING) as logs:
            role = self._call("guarantee.report.figures", "database_role", [])
        self.assertFalse(role["readonly"])
        self.assertTrue(any("retrying with a read/write cursor" in line for line in logs.output))
