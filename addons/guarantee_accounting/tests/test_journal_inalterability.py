from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WALK, GuaranteeAccountingCase
from .share_common import ShareAccountingFixtures


@tagged("post_install", "-at_install")
class TestGuaranteeJournalsHashed(ShareAccountingFixtures, GuaranteeAccountingCase):
    """Every journal the guarantee addons post to is Odoo's inalterable journal (issue 22):
    the fee journal, the guarantee entries journal and the journal of the re-guarantee fee
    bills. The bank journal is the exception written in the design decisions (Odoo rewrites a
    statement line's entry when it is reconciled)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._share_setup(cls.product)

    def _billed_fee(self):
        project = self._with_split(self._create_project(amount=10_000_000))
        for step in WALK:
            project._do_transition(step)
        project.write({"loan_release_date": "2026-01-05", "loan_amount_released": 10_000_000})
        project._do_transition("activate")
        fee = project.share_fee_ids
        fee.with_user(self.finance).action_bill()
        return fee.bill_id

    def _integrity(self, journal):
        """Odoo's integrity check (Accounting ▸ Reporting ▸ Data Inalterability Check) for
        ``journal``, as finance prints it."""
        results = self.company.with_user(self.finance)._check_hash_integrity()["results"]
        return [result for result in results
                if result["journal_name"].startswith(journal.name)]

    def test_every_journal_the_guarantee_addons_post_to_is_hashed(self):
        company = self.company
        journals = company._guarantee_journals()
        self.assertEqual(
            journals,
            company.guarantee_fee_journal_id | company.guarantee_misc_journal_id
            | company.guarantee_purchase_journal_id)
        self.assertEqual(journals.mapped("restrict_mode_hash_table"), [True, True, True])
        self.assertEqual(company.guarantee_purchase_journal_id.type, "purchase")
        # the company's own vendor bills are not in it (hashing them is not ours to decide)
        self.assertFalse(self.env["account.move"].search_count([
            ("journal_id", "=", company.guarantee_purchase_journal_id.id),
            ("guarantee_project_id", "=", False)]))

    def test_a_purchase_journal_finance_chooses_is_secured(self):
        journal = self.env["account.journal"].create({
            "name": "分保费账单（测试）", "code": "TSHB", "type": "purchase",
            "company_id": self.company.id})
        self.assertFalse(journal.restrict_mode_hash_table)
        self.company.guarantee_purchase_journal_id = journal
        self.assertTrue(journal.restrict_mode_hash_table)

    def test_fee_bill_is_hashed_verified_and_a_tampered_line_is_detected(self):
        bill = self._billed_fee()
        journal = self.company.guarantee_purchase_journal_id
        self.assertEqual(bill.journal_id, journal)
        self.assertEqual(bill.state, "posted")
        self.assertTrue(bill.inalterable_hash, "hashed when posted")
        (verified,) = self._integrity(journal)
        self.assertEqual(verified["status"], "verified")
        self.assertEqual(verified["last_move_name"], bill.name)
        # finance can neither reset it nor edit it
        with self.assertRaisesExactly(UserError,
                                      "You cannot reset to draft a locked journal entry"):
            bill.with_user(self.finance).button_draft()
        expense = bill.line_ids.filtered("debit")
        with self.assertRaisesExactly(UserError, "already hashed"):
            expense.with_user(self.finance).write({"debit": 1.0})
        # whoever writes the table behind Odoo's back is found by the check:
        # 0.5% × 30% × ¥10,000,000 = ¥15,000 became ¥1,500
        self.assertEqual(expense.debit, 15_000)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move_line SET debit = 1500, balance = 1500 WHERE id = %s",
            [expense.id])
        self.env.invalidate_all()
        (corrupted,) = self._integrity(journal)
        self.assertEqual(corrupted["status"], "corrupted")
        self.assertIn("(%s)" % bill.name, corrupted["msg_cover"])
