from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from odoo.addons.guarantee_platform.tools.hash_chain import GENESIS, link_hash, payload_digest

from .common import GuaranteeCase


@tagged("post_install", "-at_install")
class TestHashChain(GuaranteeCase):
    """Audit records and approval decisions are sealed; a change by SQL is named."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Chain = cls.env["guarantee.hash.chain"]
        cls.env["tier.definition"].create({
            "name": "风控初审",
            "model_id": cls.env.ref("guarantee_base.model_guarantee_project").id,
            "review_type": "group",
            "reviewer_group_id": cls.env.ref("guarantee_base.group_guarantee_risk").id,
            "definition_domain": "[('product_id', '=', %d)]" % cls.product.id,
        })

    def _sealed(self, record):
        self.env.cr.flush()  # the end of the transaction seals what it did
        self.Chain._link_pending()  # what follows its commit
        return self.Chain.search([("res_model", "=", record._name), ("res_id", "=", record.id)])

    def _audit_log_of_a_write(self):
        project = self._create_project()
        project.with_user(self.pm_a).write({"amount": 1300000})
        return self.env["auditlog.log"].search([
            ("model_id.model", "=", "guarantee.project"), ("res_id", "=", project.id),
            ("method", "=", "write"),
        ], limit=1)

    def test_an_audit_record_is_sealed_after_the_previous_link(self):
        log = self._audit_log_of_a_write()
        link = self._sealed(log)
        self.assertEqual(len(link), 1)
        self.assertEqual(link.payload_hash, payload_digest(log._guarantee_chain_payload()))
        self.assertEqual(
            link.hash,
            link_hash(link.previous_hash, "auditlog.log", log.id, "audit", link.payload_hash),
        )
        previous = self.Chain.search(
            [("position", "<", link.position)], order="position desc", limit=1
        )
        self.assertEqual(link.position, (previous.position or 0) + 1)
        self.assertEqual(link.previous_hash, previous.hash if previous else GENESIS)
        checked, broken, _reason = self.Chain._verify()
        self.assertFalse(broken)
        self.assertGreaterEqual(checked, 1)

    def test_an_audit_line_changed_by_sql_is_named(self):
        log = self._audit_log_of_a_write()
        link = self._sealed(log)
        self.env.cr.execute(
            "UPDATE auditlog_log_line SET new_value = '1.0' WHERE log_id = %s", [log.id]
        )
        self.env.invalidate_all()
        _checked, broken, reason = self.Chain._verify()
        self.assertEqual(broken, link)
        self.assertIn("changed after it was sealed", reason)
        action = self.Chain.with_user(self.executive).action_verify()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(str(link.id), action["params"]["message"])

    def test_every_broken_link_is_named_not_only_the_first(self):
        first_log = self._audit_log_of_a_write()
        first = self._sealed(first_log)
        intact = self._sealed(self._audit_log_of_a_write())
        second_log = self._audit_log_of_a_write()
        second = self._sealed(second_log)
        self.env.cr.execute(
            "UPDATE auditlog_log_line SET new_value = 'tampered' WHERE log_id IN %s",
            [(first_log.id, second_log.id)],
        )
        self.env.invalidate_all()
        checked, broken = self.Chain._verify_all()
        self.assertEqual([link for link, _reason in broken], [first, second])
        self.assertTrue(all("changed after it was sealed" in reason for _link, reason in broken))
        self.assertGreaterEqual(checked, 1)
        self.assertNotIn(intact, [link for link, _reason in broken])
        message = self.Chain.with_user(self.executive).action_verify()["params"]["message"]
        self.assertIn("link %s (" % first.id, message)
        self.assertIn("link %s (" % second.id, message)
        self.assertNotIn("link %s (" % intact.id, message)

    def test_a_deleted_or_altered_link_is_named(self):
        first = self._sealed(self._audit_log_of_a_write())
        second = self._sealed(self._audit_log_of_a_write())
        self.env.cr.execute(
            "UPDATE guarantee_hash_chain SET payload_hash = %s WHERE id = %s", ["0" * 64, first.id]
        )
        self.env.invalidate_all()
        self.assertEqual(self.Chain._verify()[1], first)
        after_first = self.Chain.search(
            [("position", ">", first.position)], order="position", limit=1
        )
        self.assertLessEqual(after_first.id, second.id)
        self.env.cr.execute("DELETE FROM guarantee_hash_chain WHERE id = %s", [first.id])
        self.env.invalidate_all()
        _checked, broken, reason = self.Chain._verify()
        self.assertEqual(broken, after_first)
        self.assertIn("previous link", reason)

    def test_links_are_append_only_for_everyone(self):
        link = self._sealed(self._audit_log_of_a_write())
        with self.assertRaisesExactly(
            UserError, "The integrity chain is append-only: a link cannot be changed"
        ):
            link.sudo().write({"hash": "0" * 64})
        with self.assertRaisesExactly(
            UserError, "The integrity chain is append-only: a link cannot be deleted"
        ):
            link.sudo().unlink()
        with self.assertRaisesExactly(
            UserError, "Links of the integrity chain are only added by the system"
        ):
            self.Chain.sudo().create({
                "res_model": "res.partner", "res_id": 1, "event": "x",
                "payload_hash": "0", "previous_hash": "0", "hash": "0",
            })
        self.assertTrue(link.exists())

    def test_an_approval_decision_is_sealed_and_kept_when_the_review_is_deleted(self):
        project = self._create_project().with_user(self.pm_a)
        project.action_accept()
        project.action_start_investigation()
        project.action_submit_review()
        project.with_user(self.risk).validate_tier()
        review = project.review_ids.filtered(lambda r: r.status == "approved")
        link = self._sealed(review)
        self.assertEqual(link.event, "review_approved")
        review.sudo().unlink()  # what a restarted validation does
        self.assertFalse(self.Chain._verify()[1])
        self.env.cr.execute(
            "UPDATE guarantee_hash_chain SET payload = replace(payload, 'approved', 'rejected') "
            "WHERE id = %s", [link.id]
        )
        self.env.invalidate_all()
        self.assertEqual(self.Chain._verify()[1], link)


@tagged("post_install", "-at_install")
class TestHashChainConcurrency(TransactionCase):
    """Two transactions sealing at the same time both commit: the chain is linked after each
    commit, not inside the transaction (under repeatable read, locking the head there failed
    the later one with a serialization error)."""

    def _real_cursor(self):
        cr = db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cr.close)
        return cr

    def test_sealing_in_two_open_transactions_chains_both(self):
        log = self.env["auditlog.log"].sudo().search([], limit=1, order="id")
        if not log:
            self.skipTest("no committed audit record to seal")
        first, second = self._real_cursor(), self._real_cursor()
        head = self._real_cursor()
        head.execute("SELECT hash, position FROM guarantee_hash_chain_head WHERE id = 1")
        saved_head = head.fetchone()
        head.rollback()
        written = []

        def restore():
            head.execute("DELETE FROM guarantee_hash_chain WHERE id = ANY(%s)", [written])
            head.execute(
                "UPDATE guarantee_hash_chain_head SET hash = %s, position = %s WHERE id = 1",
                saved_head,
            )
            head.commit()

        self.addCleanup(restore)
        for cr in (first, second):
            cr.execute("SET lock_timeout = '10s'")
            cr.execute("SELECT 1")  # both snapshots are taken before either commits
        for cr in (second, first):
            env = api.Environment(cr, SUPERUSER_ID, {})
            written += env["guarantee.hash.chain"]._append([(log.with_env(env), "test")]).ids
            # used to fail for the second one to commit; the commit runs the production
            # after-commit hook, which chains the link in a transaction of its own (the
            # registry is not in test mode here: its cursors are real connections)
            cr.commit()
        head.execute(
            "SELECT hash IS NOT NULL, position FROM guarantee_hash_chain WHERE id = ANY(%s) "
            "ORDER BY id",
            [written],
        )
        (second_linked, second_position), (first_linked, first_position) = head.fetchall()
        head.rollback()
        self.assertTrue(second_linked and first_linked)
        self.assertEqual(first_position, second_position + 1)
