from datetime import date

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


@tagged("post_install", "-at_install")
class TestGuaranteeEntriesRespectLockDates(GuaranteeAccountingCase):
    """A guarantee entry dated on or before the company's lock date is refused, with a
    message that says why (issue 22). Odoo would move it silently to the first open day; a
    guarantee entry keeps the date of its business. Books locked up to 2026-11-30 here."""

    LOCKED = r"the books of .* are locked \(.*\)\. Guarantee entries keep the date"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls._project_in("active")

    def _lock(self, field="fiscalyear_lock_date"):
        """Lock the books up to 2026-11-30. Written in SQL: Odoo refuses to close a period
        while the demo bank statement lines in it are unreconciled, which is finance's
        closing procedure, not what these tests are about."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_company SET %s = '2026-11-30' WHERE id = %%s" % field,
                            [self.company.id])
        self.env.invalidate_all()
        self.assertEqual(self.company[field], date(2026, 11, 30))

    def _fee(self, due):
        return self.env["guarantee.fee"].create({
            "project_id": self.project.id, "date_from": due, "date_to": "2026-12-31",
            "date_due": due, "amount": 15_000.0, "is_upfront": True})

    def test_fee_invoiced_on_a_locked_day_is_refused(self):
        fee = self._fee("2026-11-15")
        self._lock()
        with self.assertRaisesExactly(UserError, self.LOCKED):
            fee.with_user(self.finance).action_create_invoice()
        self.assertFalse(fee.invoice_id)
        # the sales lock date alone is enough for the fee journal (a sale journal)
        self.env.cr.execute("UPDATE res_company SET fiscalyear_lock_date = NULL WHERE id = %s",
                            [self.company.id])
        self._lock("sale_lock_date")
        with self.assertRaisesExactly(UserError, self.LOCKED):
            fee.with_user(self.finance).action_create_invoice()

    def test_fee_paid_on_a_locked_day_is_refused(self):
        fee = self._fee("2026-12-01")
        fee.with_user(self.finance).action_create_invoice()
        self._lock()
        with self.assertRaisesExactly(UserError, self.LOCKED):
            fee.with_user(self.finance).action_mark_paid(date(2026, 11, 20))
        self.assertEqual(fee.state, "due")
        self.assertEqual(fee.invoice_id.payment_state, "not_paid")

    def test_compensation_booked_on_a_locked_day_is_refused(self):
        compensation = self._approved_compensation(self.project)
        self._lock()
        with self.assertRaisesExactly(UserError, self.LOCKED):
            compensation._guarantee_on_paid(date(2026, 11, 30))
        self.assertEqual((compensation.state, compensation.move_id.id), ("approved", False))
        # the first open day is booked as it is
        compensation._guarantee_on_paid(date(2026, 12, 1))
        self.assertEqual(compensation.move_id.date, date(2026, 12, 1))

    def test_recovery_dated_on_a_locked_day_is_refused_in_words(self):
        self._paid_compensation(self.project)
        recovery = self.env["guarantee.recovery"].create({
            "project_id": self.project.id, "kind": "cash", "amount": 100_000.0,
            "date": "2026-11-10"})
        self._lock()
        self.env.ref("base.lang_zh_CN").active = True
        self.finance.lang = "zh_CN"
        with self.assertRaisesExactly(
                UserError, r"不能记账于 2026-11-10：.*账簿已锁定（.*）。"
                           r"担保业务凭证保持业务发生日"):
            recovery.with_user(self.finance).action_post()
        self.assertEqual((recovery.state, recovery.move_id.id), ("draft", False))
