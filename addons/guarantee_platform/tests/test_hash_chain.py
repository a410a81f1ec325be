import hashlib

from odoo_test_helper import FakeModelLoader

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..tools.hash_chain import GENESIS, link_hash
from .common import TEST_MODELS_MODULE
from .refusals import RefusalAssertions


@tagged("post_install", "-at_install")
class TestIntegrityChain(RefusalAssertions, TransactionCase):
    """The chain on a small test model: sealed at the end of the transaction, linked after
    the previous link, append-only, and a change by SQL is named by the verification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, TEST_MODELS_MODULE)
        cls.loader.backup_registry()
        from .service_models import PlatformTestSealed

        cls.loader.update_registry((PlatformTestSealed,))
        cls.addClassCleanup(cls.loader.restore_registry)
        cls.Chain = cls.env["guarantee.hash.chain"]

    def _sealed(self, record, event="signed"):
        self.Chain._seal(record, event)
        self.env.cr.flush()  # the end of the transaction writes the link
        self.Chain._link_pending()  # what follows its commit chains it
        return self.Chain.search([("res_model", "=", record._name), ("res_id", "=", record.id)])

    def test_a_record_is_sealed_after_the_previous_link(self):
        record = self.env["platform.test.sealed"].create({"name": "合同甲", "amount": 1000000.0})
        link = self._sealed(record)
        self.assertEqual(len(link), 1)
        # the payload digest: SHA-256 of the canonical JSON (sorted keys, no spaces), written out
        canonical = '{"amount":1000000.0,"name":"合同甲"}'
        self.assertEqual(link.payload_hash, hashlib.sha256(canonical.encode()).hexdigest())
        self.assertEqual(
            link.hash,
            link_hash(link.previous_hash, "platform.test.sealed", record.id, "signed",
                      link.payload_hash),
        )
        previous = self.Chain.search(
            [("position", "<", link.position)], order="position desc", limit=1
        )
        self.assertEqual(link.position, (previous.position or 0) + 1)
        self.assertEqual(link.previous_hash, previous.hash if previous else GENESIS)

    def test_a_record_changed_by_sql_is_named_and_links_cannot_change(self):
        record = self.env["platform.test.sealed"].create({"name": "合同乙", "amount": 500.0})
        link = self._sealed(record)
        _checked, broken = self.Chain._verify_all()
        self.assertNotIn(link, [bad for bad, _reason in broken])
        self.env.cr.execute(
            "UPDATE platform_test_sealed SET amount = 600 WHERE id = %s", [record.id]
        )
        self.env.invalidate_all()
        _checked, broken = self.Chain._verify_all()
        reasons = {bad.id: reason for bad, reason in broken}
        self.assertIn(link.id, reasons)
        self.assertIn("was changed after it was sealed", reasons[link.id])
        with self.assertRaisesExactly(UserError, "append-only"):
            link.write({"event": "other"})
        with self.assertRaisesExactly(UserError, "append-only"):
            link.unlink()
        with self.assertRaisesExactly(UserError, "only added by the system"):
            self.Chain.create({"res_model": "x", "res_id": 1, "event": "e", "payload_hash": "0"})
