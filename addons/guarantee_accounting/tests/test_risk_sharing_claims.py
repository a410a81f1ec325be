import re
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import WALK, GuaranteeAccountingCase, mark_done_by_hand
from .share_common import ShareAccountingFixtures


@tagged("post_install", "-at_install")
class TestRiskSharingClaims(ShareAccountingFixtures, GuaranteeAccountingCase):
    """Golden figures of a shared default, every amount computed by hand: a ¥10,000,000
    loan under the 4:3:2:1 split (company 40%, provincial re-guarantor 30% of the principal,
    lending bank 20% of principal and interest, government fund 10% of the principal)
    defaults with ¥8,000,000 of principal and ¥200,000 of interest outstanding."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._share_setup(cls.product)
        cls.receivable = cls.company.guarantee_share_receivable_account_id
        cls.payable = cls.company.guarantee_share_payable_account_id
        cls.compensation_account = cls.company.guarantee_compensation_account_id
        cls.clearing = cls.company.guarantee_bank_clearing_account_id
        # the default most tests start from (each test's changes are rolled back)
        cls.defaulted_project = cls._shared_project_for("分险违约测试有限公司", "D1E2F3G4",
                                                        10_000_000)
        cls.defaulted = cls._compensate(cls.defaulted_project, 8_000_000, 200_000)

    def _shared_project(self, amount=10_000_000, agreements=None, **values):
        project = self._with_split(self._create_project(amount=amount, **values), agreements)
        for step in WALK:
            project._do_transition(step)
        project.write({"loan_release_date": "2026-01-05", "loan_amount_released": amount})
        project._do_transition("activate")
        return project

    def _defaulted(self, **kwargs):
        """The ¥8,000,000 + ¥200,000 default: the class's own, or a new one with ``kwargs``."""
        if kwargs:
            project = self._shared_project(**kwargs)
            compensation = self._paid_compensation(project, principal=8_000_000,
                                                   interest=200_000)
        else:
            project, compensation = self.defaulted_project, self.defaulted
        claims = {claim.agreement_id: claim.with_user(self.finance)
                  for claim in compensation.share_claim_ids}
        return project, compensation, claims

    def _statement_line(self, amount, reference, partner):
        line = self.env["account.bank.statement.line"].sudo().create({
            "journal_id": self.company.guarantee_bank_journal_id.id,
            "date": fields.Date.today(),
            "amount": amount,
            "payment_ref": reference,
            "partner_id": partner.id,
        })
        line._guarantee_auto_reconcile()
        return line

    def _ledger(self, project, account):
        lines = self.env["account.move.line"].search([
            ("move_id.guarantee_project_id", "=", project.id), ("account_id", "=", account.id),
            ("parent_state", "=", "posted"),
        ])
        return sum(lines.mapped("debit")) - sum(lines.mapped("credit"))

    # ------------------------------------------------------------------ golden

    def test_golden_claims_entries_and_a_recovery_shared_back(self):
        project, compensation, claims = self._defaulted()
        # own share 100 − 30 − 20 − 10 = 40%: 在保余额 was 10,000,000 × 40% = 4,000,000
        self.assertEqual(project.own_share, 40.0)
        self.assertEntry(compensation.move_id, [
            (self.compensation_account, 8_200_000, 0), (self.clearing, 0, 8_200_000)])

        # one claim per party, from its share of the compensation
        reg, bank, gov = claims[self.agr_reguarantor], claims[self.agr_bank], claims[self.agr_gov]
        # re-guarantor: 30% × 8,000,000 = 2,400,000, interest not covered
        self.assertEqual((reg.principal_part, reg.interest_part, reg.amount),
                         (2_400_000, 0, 2_400_000))
        # bank: 20% × 8,000,000 = 1,600,000 and 20% × 200,000 = 40,000
        self.assertEqual((bank.principal_part, bank.interest_part, bank.amount),
                         (1_600_000, 40_000, 1_640_000))
        # fund: 10% × 8,000,000 = 800,000
        self.assertEqual((gov.principal_part, gov.interest_part, gov.amount),
                         (800_000, 0, 800_000))
        paid_on = compensation.date_paid
        self.assertEqual(reg.date_deadline, fields.Date.add(paid_on, days=90))
        self.assertEqual(bank.date_deadline, fields.Date.add(paid_on, days=60))
        self.assertEqual(set((reg | bank | gov).mapped("state")), {"draft"})

        # sent, accepted: Dr receivable from the party, Cr compensation receivable
        for claim in (reg, bank, gov):
            claim.action_send()
            claim.action_accept()
        self.assertEntry(reg.move_id, [(self.receivable, 2_400_000, 0),
                                       (self.compensation_account, 0, 2_400_000)])
        self.assertEntry(bank.move_id, [(self.receivable, 1_640_000, 0),
                                        (self.compensation_account, 0, 1_640_000)])
        self.assertEntry(gov.move_id, [(self.receivable, 800_000, 0),
                                       (self.compensation_account, 0, 800_000)])
        self.assertEqual(reg.move_id.line_ids.filtered(
            lambda line: line.account_id == self.receivable).partner_id, self.reguarantor)
        # the company's own compensation receivable: 8,200,000 − 4,840,000 = 3,360,000
        project.invalidate_recordset()
        self.assertEqual(project.share_claimed_amount, 4_840_000)
        self.assertEqual(project.compensation_receivable, 3_360_000)
        self.assertEqual(self._ledger(project, self.compensation_account), 3_360_000)

        # the parties pay; the bank statement lines naming the claims settle them
        for claim, partner in ((reg, self.reguarantor), (bank, self.bank),
                               (gov, self.gov_fund)):
            line = self._statement_line(claim.amount, "代偿补偿款 %s" % claim.name, partner)
            self.assertTrue(line.is_reconciled)
            self.assertEqual((claim.state, claim.amount_paid, claim.amount_open),
                             ("paid", claim.amount, 0))
        self.assertEqual(sum((reg | bank | gov).mapped("amount_open")), 0)

        # ¥3,000,000 recovered later: the re-guarantor gets 30% = 900,000 and the bank
        # 20% = 600,000 back; the fund's agreement does not share recoveries; the company
        # keeps 3,000,000 − 900,000 − 600,000 = 1,500,000
        recovery = self.env["guarantee.recovery"].with_user(self.finance).create({
            "project_id": project.id, "kind": "cash", "amount": 3_000_000,
            "date": "2026-09-30", "payer_id": self.customer.id,
        })
        recovery.action_post()
        self.assertEntry(recovery.move_id, [
            (self.clearing, 3_000_000, 0), (self.compensation_account, 0, 1_500_000),
            (self.payable, 0, 900_000), (self.payable, 0, 600_000)])
        returns = {r.partner_id: r for r in recovery.share_return_ids}
        self.assertEqual({p: r.amount for p, r in returns.items()},
                         {self.reguarantor: 900_000, self.bank: 600_000})
        # 3,360,000 − 1,500,000 = 1,860,000 left to the company
        project.invalidate_recordset()
        self.assertEqual(project.compensation_receivable, 1_860_000)
        self.assertEqual(self._ledger(project, self.compensation_account), 1_860_000)
        self.assertEqual(self._ledger(project, self.payable), -1_500_000)

        # each part is paid through a payment order: Dr payable, Cr bank
        reg_return = returns[self.reguarantor].with_user(self.finance)
        action = reg_return.action_create_payment_order()
        order = self.env["guarantee.payment.order"].with_user(self.finance).browse(
            action["res_id"])
        self.assertEqual((order.partner_id, order.amount), (self.reguarantor, 900_000))
        mark_done_by_hand(order, self.finance)
        self.assertEqual(reg_return.state, "paid")
        self.assertEntry(reg_return.move_id, [(self.payable, 900_000, 0),
                                              (self.clearing, 0, 900_000)])
        self.assertEqual(self._ledger(project, self.payable), -600_000)
        outgoing = self._statement_line(-900_000, order.name, self.reguarantor)
        self.assertTrue(outgoing.is_reconciled, "the bank statement settles the order")

    def test_a_second_order_for_the_same_part_is_refused(self):
        project, _compensation, claims = self._defaulted()
        claim = claims[self.agr_reguarantor]
        claim.action_send()
        claim.action_accept()
        self._statement_line(2_400_000, claim.name, self.reguarantor)
        recovery = self.env["guarantee.recovery"].with_user(self.finance).create({
            "project_id": project.id, "kind": "cash", "amount": 1_000_000,
            "payer_id": self.customer.id,
        })
        recovery.action_post()
        # 30% × 1,000,000 = 300,000
        part = recovery.share_return_ids.with_user(self.finance)
        self.assertEqual(part.amount, 300_000)
        part.action_create_payment_order()
        with self.assertRaisesExactly(
            UserError,
            r"^FH\d{4}-\d+ already has the payment order FK\d{4}-\d+; it is resolved with the "
            r"bank, never replaced\.$",
        ):
            part.action_create_payment_order()
        order = part.payment_order_ids
        with self.assertRaisesExactly(
            UserError,
            r"^FK\d{4}-\d+ cannot be saved: the amount is not the \$\s?300,000\.00 of "
            r"FH\d{4}-\d+\.$",
        ):
            order.write({"amount": 350_000})
        self.assertEqual(order.amount, 300_000)

    # ------------------------------------------------------------------ partial and refused

    def test_reduced_acceptance_and_partial_payment_are_recorded_with_their_reasons(self):
        project, _compensation, claims = self._defaulted()
        bank = claims[self.agr_bank]
        bank.action_send()
        with self.assertRaisesExactly(
            UserError,
            r"^BC\d{4}-\d+ cannot be accepted: a reduced acceptance needs the party's reason\.$",
        ):
            bank.action_accept(1_600_000)
        with self.assertRaisesExactly(
            UserError,
            r"^BC\d{4}-\d+ cannot be accepted: the party cannot accept more than the 1640000\.00 "
            r"claimed\.$",
        ):
            bank.action_accept(1_700_000)
        # the bank accepts the principal part only: 1,600,000
        bank.action_accept(1_600_000, "利息部分不在分险范围")
        self.assertEqual((bank.state, bank.amount_accepted), ("accepted", 1_600_000))
        self.assertEqual(bank.refuse_reason, "利息部分不在分险范围")
        # it pays 1,500,000 and no more: finance matches the statement line with the
        # claim by hand (the amounts differ); the 100,000 left goes back to the company
        line = self._statement_line(1_500_000, bank.name, self.bank)
        self.assertFalse(line.is_reconciled, "a partial payment is not matched on its own")
        line._guarantee_reconcile_with(bank._receivable_line())
        self.assertEqual((bank.state, bank.amount_paid, bank.amount_open),
                         ("accepted", 1_500_000, 100_000))
        with self.assertRaisesExactly(
            UserError,
            r"^Give the reason why the party pays less than it accepted\.$",
        ):
            bank.action_close_short("")
        wizard = self.env["guarantee.share.claim.decision.wizard"].with_user(self.finance).create(
            {"claim_id": bank.id, "decision": "close_short", "reason": "银行年度代偿补偿额度用尽"})
        wizard.action_confirm()
        self.assertEqual((bank.state, bank.amount_paid, bank.shortfall_amount),
                         ("paid", 1_500_000, 100_000))
        self.assertEntry(bank.shortfall_move_id, [(self.compensation_account, 100_000, 0),
                                                  (self.receivable, 0, 100_000)])
        # 8,200,000 − (1,600,000 − 100,000) = 6,700,000 for the company
        project.invalidate_recordset()
        self.assertEqual(project.compensation_receivable, 6_700_000)
        self.assertEqual(self._ledger(project, self.compensation_account), 6_700_000)

    def test_refused_claim_books_nothing(self):
        project, _compensation, claims = self._defaulted()
        gov = claims[self.agr_gov]
        with self.assertRaisesExactly(
            UserError,
            r"^Only a sent claim can be refused \(BC\d{4}-\d+\)\.$",
        ):
            gov.action_refuse("逾期申请")
        gov.action_send()
        with self.assertRaisesExactly(
            UserError,
            r"^Give the party's reason for refusing the claim\.$",
        ):
            gov.action_refuse(" ")
        gov.action_refuse("项目未在规定期限内备案")
        self.assertEqual((gov.state, gov.refuse_reason), ("refused", "项目未在规定期限内备案"))
        self.assertFalse(gov.move_id)
        self.assertEqual(project.compensation_receivable, 8_200_000)
        with self.assertRaisesExactly(
            UserError,
            r"^BC\d{4}-\d+ is Refused and can no longer be changed\.$",
        ):
            gov.write({"note": "x"})
        # a refused claim is final: no step of the claim sends or accepts it again, and it
        # is not born refused either (issue 22: the declared state machine)
        for state, label in (("sent", "Sent"), ("accepted", "Accepted"), ("paid", "Paid")):
            with self.assertRaisesExactly(
                UserError, rf"^{re.escape(gov.name)} is Refused and cannot become {label}\.$",
            ):
                gov._unlocked().write({"state": state})
        self.assertEqual(gov.state, "refused")

    def test_annual_cap_cuts_the_second_claim_of_the_year(self):
        _p1, _c1, first = self._defaulted()
        self.assertEqual(first[self.agr_reguarantor].amount, 2_400_000)
        self.agr_reguarantor.claim_annual_cap = 3_000_000
        other = self.customer.copy({"name": "测试第二借款企业",
                                    "uscc": self._valid_uscc("330106", "T2E3R4T5")})
        _p2, _c2, second = self._defaulted(partner_id=other.id)
        # 3,000,000 − 2,400,000 = 600,000 left this year
        claim = second[self.agr_reguarantor]
        self.assertEqual(claim.amount, 600_000)
        self.assertIn("600000.00", claim.capped_note)

    def test_claim_needs_the_documents_its_agreement_requires(self):
        doc_type = self.env.ref("guarantee_risk.guarantee_document_type_claim_application")
        self.agr_reguarantor.claim_document_type_ids = [(6, 0, doc_type.ids)]
        _project, _compensation, claims = self._defaulted(amount=10_000_000)
        claim = claims[self.agr_reguarantor]
        self.assertEqual(claim.document_ids.document_type_id, doc_type)
        with self.assertRaisesExactly(
            UserError,
            r"^The claim cannot be sent:\nBC\d{4}-\d+ lacks: 代偿补偿申请书\.$",
        ):
            claim.action_send()
        claim.document_ids.write({"attachment_ids": [(0, 0, {
            "name": "代偿补偿申请书.pdf", "raw": b"%PDF-1.4 claim"})]})
        claim.action_send()
        self.assertEqual(claim.state, "sent")
        with self.assertRaisesExactly(
            UserError,
            r"^guarantee\.share\.claim\.document,\d+ is Sent and can no longer be changed\.$",
        ):
            claim.document_ids.write({"attachment_ids": [(5, 0, 0)]})

    def test_claim_deadline_warning_as_the_date_moves(self):
        with freeze_time("2026-07-01"):
            project, compensation, claims = self._defaulted(amount=10_000_000)
        # compensated 2026-07-01: the bank's claim is due 60 days later, on 2026-08-30
        self.assertEqual(compensation.date_paid, date(2026, 7, 1))
        bank = claims[self.agr_bank]
        self.assertEqual(bank.date_deadline, date(2026, 8, 30))
        Signal = self.env["guarantee.risk.signal"]
        domain = [("project_id", "=", project.id), ("signal_type", "=", "share_claim_due")]
        with freeze_time("2026-08-22"):
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
        self.assertFalse(Signal.search(domain), "eight days before: no warning yet")
        with freeze_time("2026-08-23"):
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
        signal = Signal.search(domain)
        self.assertEqual(len(signal), 1)
        self.assertEqual(signal.amount, 1_640_000)
        self.assertIn(bank.name, signal.description)
        bank.action_send()
        with freeze_time("2026-09-29"):
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
        # the re-guarantor's (due 2026-09-29) now; the sent bank claim raises no other
        self.assertEqual(sorted(Signal.search(domain).mapped("amount")), [1_640_000, 2_400_000])

    # ------------------------------------------------------------------ fees

    def test_reguarantee_fee_billed_to_the_reguarantor_and_booked(self):
        project = self._shared_project()
        fees = project.share_fee_ids
        # the re-guarantor charges 0.5% a year of its 30%: 12 months = one year,
        # 10,000,000 × 30% × 0.5% = 15,000
        self.assertEqual(len(fees), 1)
        self.assertEqual((fees.amount, fees.date, fees.state), (15_000, date(2026, 1, 5), "draft"))
        fees.with_user(self.finance).action_bill()
        bill = fees.bill_id
        self.assertEqual((bill.move_type, bill.partner_id, bill.state, bill.amount_total),
                         ("in_invoice", self.reguarantor, "posted", 15_000))
        expense = bill.line_ids.filtered(
            lambda line: line.account_id == self.company.guarantee_share_fee_account_id)
        self.assertEqual(expense.debit, 15_000)
        self.assertEqual(bill.line_ids.filtered(
            lambda line: line.account_id.account_type == "liability_payable").credit, 15_000)
        # billed is left only by crediting the bill (action_cancel), never back to "to bill"
        with self.assertRaisesExactly(
            UserError, rf"^{re.escape(fees.display_name)} is Billed and cannot become To Bill\.$",
        ):
            fees._unlocked().write({"state": "draft"})
        self.assertEqual(fees.state, "billed")

    def test_fee_the_borrower_pays_is_collected_on_behalf_not_income(self):
        self.agr_reguarantor.write({"fee_payer": "borrower", "fee_base": "balance",
                                    "fee_period": "once"})
        project = self._shared_project()
        project._record_repayment(2_000_000, "部分还款")
        fee = project.share_fee_ids.with_user(self.finance)
        fee.action_bill()
        # on the balance of the day: 8,000,000 × 30% × 0.5% = 12,000
        self.assertEqual((fee.base_amount, fee.amount), (8_000_000, 12_000))
        passthrough = self.company.guarantee_share_fee_passthrough_account_id
        for move, side in ((fee.bill_id, "debit"), (fee.invoice_id, "credit")):
            line = move.line_ids.filtered(lambda line: line.account_id == passthrough)
            self.assertEqual(line[side], 12_000)
            self.assertFalse(move.line_ids.filtered(
                lambda line: line.account_id.account_type in ("income", "expense")))
        self.assertEqual(fee.invoice_id.partner_id, self.customer)
        self.assertEqual(self._ledger(project, passthrough), 0)

    def test_a_part_shared_back_is_paid_to_the_partys_own_account(self):
        """The party's part goes to an account of the party itself (issue 22), recorded on
        the part, checked as a compensation's payee account is."""
        Bank = self.env["res.partner.bank"]
        own = Bank.create({"partner_id": self.reguarantor.id, "acc_number": "6228000011110001"})
        second = Bank.create({"partner_id": self.reguarantor.id,
                              "acc_number": "6228000011110002"})
        foreign = Bank.create({"partner_id": self.customer.id, "acc_number": "6217000099990001"})
        project, _compensation, claims = self._defaulted()
        claim = claims[self.agr_reguarantor]
        claim.action_send()
        claim.action_accept()
        self._statement_line(2_400_000, claim.name, self.reguarantor)
        recovery = self.env["guarantee.recovery"].with_user(self.finance).create({
            "project_id": project.id, "kind": "cash", "amount": 1_000_000,
            "payer_id": self.customer.id,
        })
        recovery.action_post()
        part = recovery.share_return_ids.filtered(
            lambda r: r.partner_id == self.reguarantor).with_user(self.finance)
        self.assertEqual(part.payee_bank_id, own, "the party's first account by default")
        with self.assertRaisesExactly(
                ValidationError, "The account of .* must belong to its sharing party "
                                 "测试省融资再担保有限公司"):
            part.write({"payee_bank_id": foreign.id})
        part.write({"payee_bank_id": second.id})
        order = self.env["guarantee.payment.order"].with_user(self.finance).browse(
            part.action_create_payment_order()["res_id"])
        self.assertEqual((order.partner_id, order.partner_bank_id), (self.reguarantor, second))
        with self.assertRaisesExactly(
                UserError, "cannot be saved: the payee account belongs to someone else; the "
                           "payee account is not the one recorded on"):
            order.write({"partner_bank_id": foreign.id})
        with self.assertRaisesExactly(
                UserError, "cannot be saved: the payee account is not the one recorded on"):
            order.write({"partner_bank_id": own.id})
        self.assertEqual(order.partner_bank_id, second)
        # an order created by hand for the part cannot name another account either
        order.sudo().unlink()  # a draft order (finance has no delete right)
        with self.assertRaisesExactly(
                UserError, "cannot be saved: the payee account belongs to someone else"):
            self.env["guarantee.payment.order"].with_user(self.finance).create({
                "project_id": project.id, "share_return_id": part.id,
                "partner_id": self.reguarantor.id, "partner_bank_id": foreign.id,
                "amount": part.amount})
        mark_done_by_hand(self.env["guarantee.payment.order"].browse(
            part.action_create_payment_order()["res_id"]), self.finance)
        self.assertEqual(part.state, "paid")
        with self.assertRaisesExactly(UserError, "is Paid and can no longer be changed"):
            part.write({"payee_bank_id": own.id})
        # paid is final: no step takes the part back to pay (and to a second order)
        with self.assertRaisesExactly(
            UserError, rf"^{re.escape(part.display_name)} is Paid and cannot become To Pay\.$",
        ):
            part._unlocked().write({"state": "to_pay"})

    # ------------------------------------------------------------------ access

    def test_only_finance_handles_claims(self):
        _project, _compensation, claims = self._defaulted()
        claim = claims[self.agr_reguarantor]
        for user, operation in ((self.pm_a, "access"), (self.risk, "modify"),
                                (self.executive, "modify"), (self.gadmin, "modify")):
            with self.assertRaisesExactly(
                AccessError, "You are not allowed to %s 'Risk-Sharing Claim'" % operation
            ):
                claim.with_user(user).action_send()
        self.assertEqual(claim.with_user(self.risk).read(["amount"])[0]["amount"], 2_400_000)
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to access 'Risk-Sharing Claim'"
        ):
            claim.with_user(self.pm_a).read(["amount"])
        with self.assertRaisesExactly(
            UserError,
            r"^“Amount Claimed” of Risk-Sharing Claim change only through its actions, which "
            r"check their conditions and record who and why\.$",
        ):
            claim.write({"amount": 1})
        with self.assertRaisesExactly(
            UserError,
            r"^Claims are computed from a paid compensation: use the compensation's button\.$",
        ):
            self.env["guarantee.share.claim"].with_user(self.finance).create({
                "compensation_id": claim.compensation_id.id,
                "agreement_id": self.agr_reguarantor.id, "state": "paid"})
