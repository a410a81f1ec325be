"""The audit log is purged beyond its retention without breaking the integrity chain, and its
XLSX export for auditors holds the expected rows and columns, for administrators and auditors
only (asked over HTTP as each role)."""

import base64
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GuaranteeCase
from .rpc import JsonRpcMixin

HEADERS = ["Date (UTC)", "User", "Model", "Record Name", "Record ID", "Operation", "Field",
           "Old Value", "New Value"]


@tagged("post_install", "-at_install")
class TestAuditRetention(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = new_test_user(
            cls.env, "t_auditor", groups="guarantee_base.group_guarantee_auditor"
        )
        # the longest retention of all companies applies
        cls.env["res.company"].search([]).guarantee_audit_retention_days = 365
        cls.Chain = cls.env["guarantee.hash.chain"]

    def _audit_a_write(self, amount, days_ago=0):
        """The audit record of a write on a new project, as if written ``days_ago`` days ago
        (the record is dated back before it is sealed, then its link)."""
        project = self._create_project()
        project.with_user(self.pm_a).write({"amount": amount})
        log = self.env["auditlog.log"].search([
            ("model_id.model", "=", "guarantee.project"), ("res_id", "=", project.id),
            ("method", "=", "write"),
        ])
        self.assertEqual(len(log), 1)
        when = fields.Datetime.now() - timedelta(days=days_ago)
        if days_ago:
            self.env.cr.execute("UPDATE auditlog_log SET create_date = %s WHERE id = %s",
                                [when, log.id])
            self.env.invalidate_all()
        self.env.cr.flush()  # the end of the transaction seals it
        if days_ago:
            self.env.cr.execute(
                "UPDATE guarantee_hash_chain SET date = %s WHERE res_model = 'auditlog.log' "
                "AND res_id = %s", [when, log.id])
            self.env.invalidate_all()
        return project, log

    def test_the_purge_removes_only_records_older_than_the_retention_and_keeps_the_chain(self):
        _old_project, old = self._audit_a_write(1100000, days_ago=400)
        _kept_project, kept = self._audit_a_write(1200000, days_ago=300)
        _recent_project, recent = self._audit_a_write(1300000)
        links = self.Chain.search([("res_model", "=", "auditlog.log"),
                                   ("res_id", "in", (old | kept | recent).ids)])
        self.assertEqual(len(links), 3)

        self.assertGreaterEqual(self.env["auditlog.log"]._cron_guarantee_purge(), 1)

        self.assertFalse(old.exists())
        self.assertEqual((kept | recent).exists(), kept | recent)
        self.assertEqual(links.exists(), links, "the purge never deletes a link")
        _checked, broken, reason = self.Chain._verify()
        self.assertFalse(broken, reason)

    def test_a_record_deleted_within_the_retention_is_still_named_by_the_chain(self):
        _project, log = self._audit_a_write(1400000, days_ago=300)
        link = self.Chain.search([("res_model", "=", "auditlog.log"), ("res_id", "=", log.id)])
        self.env.cr.execute("DELETE FROM auditlog_log WHERE id = %s", [log.id])
        self.env.invalidate_all()
        _checked, broken, reason = self.Chain._verify()
        self.assertEqual(broken, link)
        self.assertIn("auditlog.log,%s" % log.id, reason)

    def test_the_retention_cannot_be_shorter_than_a_year(self):
        with self.assertRaisesExactly(
            ValidationError, "The audit log must be kept at least 365 days"
        ):
            self.env.company.guarantee_audit_retention_days = 364

    def _rpc_export(self, date_from, date_to):
        """The export as the logged-in user: ``(error, workbook rows)``."""
        text, result, error = self.rpc("guarantee.audit.export.wizard", "create",
                                       {"date_from": date_from, "date_to": date_to})
        if error:
            return error, text
        self.rpc_ok("guarantee.audit.export.wizard", "action_export", [result])
        data = self.rpc_ok("guarantee.audit.export.wizard", "read", [result], ["data_file"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data[0]["data_file"])))
        return None, [list(row) for row in workbook.active.iter_rows(values_only=True)]

    def test_the_export_lists_each_changed_field_of_the_period(self):
        # a period of its own, away from the demo data of today
        project, log = self._audit_a_write(1500000, days_ago=40)
        _older_project, older = self._audit_a_write(1600000, days_ago=41)
        day = str(fields.Date.today() - timedelta(days=40))
        for login in ("t_gadmin", "t_auditor"):
            self.rpc_login(login)
            with self.subTest(role=login):
                error, rows = self._rpc_export(day, day)
                self.assertFalse(error)
                self.assertEqual(len(rows[0]), len(HEADERS))
                self.assertIn(rows[0][8], (HEADERS[8], "新值"))
                ours = [row for row in rows[1:] if row[4] == project.id
                        and row[2] == "guarantee.project"]
                self.assertEqual(len(ours), len(log.line_ids))
                amount = next(row for row in ours if str(row[8]).startswith("1500000"))
                self.assertEqual(amount[1], self.pm_a.name)
                self.assertEqual(amount[5], "write")
                self.assertTrue(amount[6])
                self.assertFalse([row for row in rows[1:] if row[4] == older.res_id
                                  and row[2] == "guarantee.project"], "outside the period")

    def test_only_administrators_and_auditors_may_export(self):
        today = str(fields.Date.today())
        for login in ("t_pm_a", "t_risk", "t_committee", "t_finance", "t_exec"):
            self.rpc_login(login)
            with self.subTest(role=login):
                error, _text = self._rpc_export(today, today)
                self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
