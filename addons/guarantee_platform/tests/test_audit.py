import datetime

from odoo_test_helper import FakeModelLoader

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import TEST_MODELS_MODULE
from .refusals import RefusalAssertions


@tagged("post_install", "-at_install")
class TestAuditExtensions(RefusalAssertions, TransactionCase):
    """The audit extensions on a small test model: restricted fields are never logged, every
    audit record is sealed in the integrity chain, retention purges old records only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, TEST_MODELS_MODULE)
        cls.loader.backup_registry()
        from .service_models import PlatformTestAudited

        cls.loader.update_registry((PlatformTestAudited,))
        cls.addClassCleanup(cls.loader.restore_registry)
        cls.model = cls.env["ir.model"]._get("platform.test.audited")
        cls.rule = cls.env["auditlog.rule"].create({
            "name": "测试审计", "model_id": cls.model.id, "log_type": "full",
            "log_create": True, "log_write": True, "log_unlink": True,
        })
        cls.rule.subscribe()
        cls.addClassCleanup(cls.rule.unsubscribe)

    def _logs(self, record):
        return self.env["auditlog.log"].sudo().search([
            ("model_id", "=", self.model.id), ("res_id", "=", record.id)], order="id")

    def test_a_restricted_field_is_not_logged_and_the_record_is_sealed(self):
        record = self.env["platform.test.audited"].create({"name": "甲"})
        record.write({"name": "乙", "secret_note": "密钥-0001"})
        write_log = self._logs(record).filtered(lambda log: log.method == "write")
        self.assertEqual(len(write_log), 1)
        self.assertEqual(write_log.line_ids.mapped("field_name"), ["name"],
                         "the field restricted to system administrators is not copied")
        self.env.cr.flush()  # the end of the transaction seals the audit records
        Chain = self.env["guarantee.hash.chain"]
        Chain._link_pending()
        links = Chain.search([("res_model", "=", "auditlog.log"),
                              ("res_id", "in", self._logs(record).ids)])
        self.assertEqual(len(links), 2)
        self.assertEqual(set(links.mapped("event")), {"audit"})

    def test_the_retention_is_at_least_a_year_and_the_purge_keeps_newer_records(self):
        with self.assertRaisesExactly(ValidationError, "at least 365 days"):
            self.env.company.guarantee_audit_retention_days = 100
        self.env["res.company"].search([]).guarantee_audit_retention_days = 400
        cutoff = self.env["res.company"]._guarantee_audit_cutoff()
        expected = fields.Datetime.now() - datetime.timedelta(days=400)
        self.assertLess(abs((cutoff - expected).total_seconds()), 60)
        old, new = self.env["platform.test.audited"].create([{"name": "旧"}, {"name": "新"}])
        old_logs = self._logs(old)
        self.env.cr.execute(
            "UPDATE auditlog_log SET create_date = now() - interval '401 days' WHERE id = ANY(%s)",
            [old_logs.ids],
        )
        self.env.invalidate_all()
        self.env["auditlog.log"]._cron_guarantee_purge()
        self.assertFalse(old_logs.exists())
        self.assertTrue(self._logs(new))
