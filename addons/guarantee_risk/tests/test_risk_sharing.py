import io
import json
import re
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.guarantee_platform.tests.fake_servers import JsonServer, KeepLocalTimeouts

from .common import RiskCase
from .share_common import ShareFixtures


@tagged("post_install", "-at_install")
class TestRiskSharing(KeepLocalTimeouts, ShareFixtures, RiskCase):
    """Agreements, the project's split and its own share, eligibility, filing and its
    deadline, as the users who do each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._share_setup(cls.products["loan"])

    def _covered(self, project):
        return {line.agreement_id: line.covered for line in project.share_ids}

    # ------------------------------------------------------------------ the split

    def test_4_3_2_1_split_keeps_40_percent_and_the_figures_use_it(self):
        borrower = self._company_partner("分险小微企业", scale="small")
        project = self._with_split(self._project(borrower, 10_000_000))
        self.assertEqual(project.own_share, 40.0)
        self.assertEqual(project.shared_share, 60.0)
        self.assertEqual(set(self._covered(project).values()), {True})
        project.write({"loan_release_date": "2026-01-01", "loan_amount_released": 10_000_000})
        project._unlocked(history=True)._do_transition("activate")
        # 在保余额 = 10,000,000 × 40% = 4,000,000; a small enterprise with ¥4m in force
        # is weighted 75%: 责任余额 = 3,000,000
        self.assertEqual(project.balance, 4_000_000)
        self.assertEqual(project.liability_balance, 3_000_000)
        exposure = self.env["guarantee.exposure"].search(
            [("company_id", "=", self.company.id), ("partner_id", "=", borrower.id)])
        self.assertEqual(sum(exposure.mapped("balance")), 4_000_000)

    def test_project_above_the_customer_cap_gets_no_cover_and_the_figures_say_so(self):
        borrower = self._company_partner("超限小微企业", scale="small")
        project = self._with_split(self._project(borrower, 12_000_000))
        reguarantee = project.share_ids.filtered(lambda s: s.agreement_id == self.agr_reguarantor)
        self.assertFalse(reguarantee.covered)
        self.assertEqual(reguarantee.covered_amount, 0)
        self.assertIn("¥12,000,000.00", reguarantee.ineligible_reason)
        self.assertIn("¥10,000,000.00", reguarantee.ineligible_reason)
        # the bank (20%) and the fund (10%) still cover: 100 − 30 = 70
        self.assertEqual(project.own_share, 70.0)
        project.write({"loan_release_date": "2026-01-01", "loan_amount_released": 12_000_000})
        project._unlocked(history=True)._do_transition("activate")
        # 12,000,000 × 70% = 8,400,000, above ¥5m: weighted 100%
        self.assertEqual(project.balance, 8_400_000)
        self.assertEqual(project.liability_balance, 8_400_000)
        # nothing to file with a re-guarantor that does not cover it
        self.assertEqual(project.share_filing_ids.agreement_id, self.agr_gov)

    def test_cap_counts_the_customers_other_covered_projects(self):
        borrower = self._company_partner("多笔业务企业", scale="micro")
        first = self._filed_project(borrower, 6_000_000)
        self.assertTrue(self._covered(first)[self.agr_reguarantor])
        second = self._with_split(self._project(borrower, 5_000_000))
        # 6,000,000 + 5,000,000 = 11,000,000 > 10,000,000
        self.assertFalse(self._covered(second)[self.agr_reguarantor])
        self.assertEqual(second.own_share, 70.0)

    def test_scale_outside_the_agreement_is_not_covered(self):
        borrower = self._company_partner("大型企业", scale="large")
        project = self._with_split(self._project(borrower, 1_000_000))
        self.assertEqual(set(self._covered(project).values()), {False})
        self.assertEqual(project.own_share, 100.0)

    def test_own_share_cannot_be_typed_once_the_project_has_a_split(self):
        project = self._with_split(self._project(self._company_partner("甲"), 1_000_000))
        with self.assertRaisesExactly(
            ValidationError,
            r"^The own share of DB\d{4}-\d{5} follows from its risk split \(40\.00%\): change the "
            r"split, not the own share\.$",
        ):
            project.write({"own_share": 50.0})

    def test_project_without_split_keeps_the_own_share_it_was_given(self):
        project = self._project(self._company_partner("乙"), 1_000_000, own_share=50.0)
        self.assertEqual(project.own_share, 50.0)
        self._with_split(project, self.agr_bank)
        self.assertEqual(project.own_share, 80.0)
        project.share_ids.unlink()
        self.assertEqual(project.own_share, 100.0)

    def test_shares_adding_up_to_100_percent_are_refused(self):
        project = self._project(self._company_partner("丙"), 1_000_000)
        with self.assertRaisesExactly(
            ValidationError,
            r"^The shares of DB\d{4}-\d{5} add up to 100% or more: the company must keep part of "
            r"the risk\.$",
        ):
            self.env["guarantee.project.share"].create([
                {"project_id": project.id, "agreement_id": self.agr_reguarantor.id,
                 "share": 60.0},
                {"project_id": project.id, "agreement_id": self.agr_bank.id, "share": 40.0},
            ])

    def test_split_is_frozen_from_the_review_on(self):
        project = self._with_split(self._project(self._company_partner("丁"), 1_000_000))
        project._unlocked(history=True)._do_transition("submit_review")
        line = project.share_ids[:1].with_user(self.pm_a)
        with self.assertRaisesExactly(
            UserError,
            r"^guarantee\.project\.share,\d+ is Under Review: “Share \(%\)” can no longer be "
            r"changed\.$",
        ):
            line.write({"share": 5.0})
        with self.assertRaisesExactly(
            UserError,
            r"^guarantee\.project\.share,\d+ is Under Review and cannot be deleted\.$",
        ):
            line.unlink()
        with self.assertRaisesExactly(
            UserError,
            r"^A project's split is set before it is submitted for review\.$",
        ):
            self.env["guarantee.project.share"].with_user(self.pm_a).create(
                {"project_id": project.id, "agreement_id": self.agr_gov.id})
        with self.assertRaisesExactly(
            UserError,
            r"^“Eligible” of Project Risk Share change only through its actions, which check "
            r"their conditions and record who and why\.$",
        ):
            project.share_ids[:1].write({"eligible": False})

    def test_product_split_proposed_to_a_new_application(self):
        project = self._project(self._company_partner("戊"), 1_000_000)
        project.action_apply_product_split()
        self.assertEqual(project.share_ids.agreement_id, self.split)
        other_bank = self.env["res.partner"].create({"name": "别家银行", "is_company": True})
        elsewhere = self._project(self._company_partner("己"), 1_000_000,
                                  creditor_id=other_bank.id)
        elsewhere.action_apply_product_split()
        # the bank agreement applies only when its bank lends
        self.assertEqual(elsewhere.share_ids.agreement_id, self.agr_reguarantor | self.agr_gov)
        self.assertEqual(elsewhere.own_share, 60.0)

    # ------------------------------------------------------------------ filing

    def test_release_lists_filings_with_their_deadlines(self):
        project = self._filed_project(self._company_partner("庚"), 2_000_000)
        deadlines = {f.agreement_id: f.date_deadline for f in project.share_filing_ids}
        # released 2026-01-01: re-guarantor 30 days, fund 60 days; the bank files nothing
        self.assertEqual(deadlines, {self.agr_reguarantor: date(2026, 1, 31),
                                     self.agr_gov: date(2026, 3, 2)})
        self.assertEqual(set(project.share_filing_ids.mapped("state")), {"to_file"})

    def _filed_project(self, borrower, amount=2_000_000):
        """A project with the 4:3:2:1 split whose loan was released on 2026-01-01."""
        project = self._with_split(self._project(borrower, amount))
        project.write({"loan_release_date": "2026-01-01", "loan_amount_released": amount})
        project._unlocked(history=True)._do_transition("activate")
        return project

    def test_unfiled_project_past_its_deadline_raises_one_warning(self):
        project = self._filed_project(self._company_partner("辛"))
        Signal = self.env["guarantee.risk.signal"]
        domain = [("project_id", "=", project.id), ("signal_type", "=", "share_filing_overdue")]
        with freeze_time("2026-01-31"):
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
        self.assertFalse(Signal.search(domain), "on the deadline day it is not late yet")
        with freeze_time("2026-02-01"):
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
        signal = Signal.search(domain)
        self.assertEqual(len(signal), 1)
        self.assertEqual(signal.severity, "high")
        # the re-guarantor's 30% of ¥2,000,000 is at stake
        self.assertEqual(signal.amount, 600_000)
        self.assertIn("2026-01-31", signal.description)
        with freeze_time("2026-03-03"):
            self.env["guarantee.share.agreement"]._cron_deadline_warnings()
        # now the fund's filing is late too
        self.assertEqual(len(Signal.search(domain)), 2)

    def test_refused_filing_takes_the_cover_away(self):
        project = self._filed_project(self._company_partner("壬"))
        filing = project.share_filing_ids.filtered(
            lambda f: f.agreement_id == self.agr_reguarantor).with_user(self.finance)
        filing.action_mark_filed(reference="BA-2026-0001")
        filing.action_refuse("客户不属于政策性业务范围")
        self.assertEqual(filing.state, "refused")
        # 100 − 20 − 10 = 70; 2,000,000 × 70% = 1,400,000
        self.assertEqual(project.own_share, 70.0)
        self.assertEqual(project.balance, 1_400_000)
        with self.assertRaisesExactly(
            UserError,
            r"^“Filed On” of Risk-Sharing Filing change only through its actions, which check "
            r"their conditions and record who and why\.$",
        ):
            filing.write({"date_filed": "2026-01-02"})
        with self.assertRaisesExactly(
            UserError,
            r"^DB\d{4}-\d{5} · 测试省融资再担保有限公司 cannot become Accepted: only a filing "
            r"that is Filed can\.$",
        ):
            filing.action_accept()

    def test_filing_moves_only_forward_and_only_for_finance(self):
        project = self._filed_project(self._company_partner("癸"))
        filing = project.share_filing_ids[:1]
        with self.assertRaisesExactly(
            UserError,
            r"^DB\d{4}-\d{5} · 测试省融资再担保有限公司 cannot become Accepted: only a filing "
            r"that is Filed can\.$",
        ):
            filing.with_user(self.finance).action_accept()
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Risk-Sharing Filing'"
        ):
            filing.with_user(self.risk).action_mark_filed()
        with self.assertRaisesExactly(
            UserError,
            r"^“State” of Risk-Sharing Filing change only through its actions, which check their "
            r"conditions and record who and why\.$",
        ):
            filing.with_user(self.finance).write({"state": "accepted"})
        with self.assertRaisesExactly(
            UserError,
            r"^Filings are listed by the system when a covered loan is released\.$",
        ):
            self.env["guarantee.share.filing"].with_user(self.finance).create(
                {"project_id": project.id, "agreement_id": self.agr_bank.id,
                 "date_deadline": "2026-12-31"})

    def test_filing_file_has_the_agreements_columns(self):
        first = self._filed_project(self._company_partner("子"), 3_000_000)
        second = self._filed_project(self._company_partner("丑"), 1_500_000)
        self.agr_reguarantor.write({"filing_column_ids": [
            (0, 0, {"sequence": 1, "key": "project", "header": "项目编号"}),
            (0, 0, {"sequence": 2, "key": "uscc"}),
            (0, 0, {"sequence": 3, "key": "covered_amount", "header": "再担保金额"}),
            (0, 0, {"sequence": 4, "key": "deadline"}),
        ]})
        filings = (first | second).share_filing_ids.filtered(
            lambda f: f.agreement_id == self.agr_reguarantor)
        action = filings.with_user(self.finance).action_export_xlsx()
        self.assertEqual(action["report_type"], "xlsx")
        content, kind = self.env["ir.actions.report"].with_user(self.finance)._render(
            "guarantee_risk.guarantee_share_filing_xlsx", filings.ids)
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        self.assertEqual(rows[0][:2], ["项目编号", "USCC / ID Number"])
        self.assertEqual(rows[0][2], "再担保金额")
        # 30% of 3,000,000 and of 1,500,000; both due 2026-01-31
        body = sorted((row[0], row[1], row[2], row[3].date()) for row in rows[1:])
        self.assertEqual(body, sorted([
            (first.name, first.partner_id.uscc, 900_000, date(2026, 1, 31)),
            (second.name, second.partner_id.uscc, 450_000, date(2026, 1, 31)),
        ]))
        with self.assertRaisesExactly(
            UserError,
            r"^Export the filings of one agreement at a time\.$",
        ):
            first.share_filing_ids.action_export_xlsx()

    def test_filing_sent_through_the_connector_over_http(self):
        answers = []

        def serve(method, path, headers, data):
            answers.append((method, path, headers.get("Idempotency-Key"),
                            headers.get("Authorization"), data))
            return 200, {}, {"status": "accepted", "reference": "ZJZDB-2026-088"}

        project = self._filed_project(self._company_partner("寅"), 2_000_000)
        with JsonServer(serve) as server:
            self.agr_reguarantor.connector_id = self.env["guarantee.share.connector"].create({
                "name": "省再担保备案接口", "company_id": self.company.id,
                "base_url": server.url, "api_key": "share-secret-key",
                "partner_id": self.reguarantor.id,
            })
            filing = project.share_filing_ids.filtered(
                lambda f: f.agreement_id == self.agr_reguarantor).with_user(self.finance)
            filing.action_send()
        self.assertEqual(filing.state, "accepted")
        self.assertEqual(filing.reference, "ZJZDB-2026-088")
        [(method, path, idempotency, authorization, data)] = answers
        self.assertEqual((method, path), ("POST", "/filings"))
        self.assertEqual(idempotency, filing.request_id)
        self.assertEqual(authorization, "Bearer share-secret-key")
        self.assertEqual(data["filing"]["project"], project.name)
        self.assertEqual(data["filing"]["covered_amount"], 600_000)
        self.assertEqual(data["filing"]["loan_release_date"], "2026-01-01")
        log = self.env["guarantee.connector.call.log"].search(
            [("res_model", "=", "guarantee.share.connector")])
        self.assertEqual(log.mapped("outcome"), ["ok"])
        self.assertNotIn("share-secret-key", json.dumps(log.read(["message", "url"]),
                                                         default=str))

    def test_filing_refused_by_the_connector_and_an_unreachable_one(self):
        def serve(method, path, headers, data):
            return 200, {}, {"status": "refused", "reason": "超出备案额度"}

        project = self._filed_project(self._company_partner("卯"), 2_000_000)
        filing = project.share_filing_ids.filtered(
            lambda f: f.agreement_id == self.agr_reguarantor).with_user(self.finance)
        connector = self.env["guarantee.share.connector"].create({
            "name": "省再担保备案接口", "company_id": self.company.id,
            "base_url": "http://127.0.0.1:9", "max_retries": 0, "timeout": 5,
        })
        self.agr_reguarantor.connector_id = connector
        with self.assertRaisesExactly(
            UserError,
            r"^DB\d{4}-\d{5} · 测试省融资再担保有限公司 could not be filed with "
            r"测试省融资再担保有限公司: ConnectionError: POST /filings$",
        ):
            filing.action_send()
        self.assertEqual(filing.state, "to_file")
        with JsonServer(serve) as server:
            connector.base_url = server.url
            filing.action_send()
        self.assertEqual(filing.state, "refused")
        self.assertEqual(filing.refuse_reason, "超出备案额度")
        self.assertEqual(project.own_share, 70.0)

    # ------------------------------------------------------------------ access

    def test_project_managers_see_their_own_projects_split_only(self):
        mine = self._with_split(self._project(self._company_partner("辰"), 1_000_000))
        theirs = self._with_split(self._project(
            self._company_partner("巳"), 1_000_000, manager_id=self.pm_other.id,
            assistant_id=self.pm_b.id))
        Share = self.env["guarantee.project.share"].with_user(self.pm_a)
        self.assertEqual(Share.search([("project_id", "in", (mine | theirs).ids)]),
                         mine.share_ids)
        self.assertEqual(mine.with_user(self.pm_a).share_ids.mapped("share"),
                         [30.0, 20.0, 10.0])
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'read' access to:\n- Project Risk Share"
        ):
            theirs.share_ids.with_user(self.pm_a).read(["share"])
        # the agreements themselves are configuration the administrator keeps
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Risk-Sharing Agreement'"
        ):
            self.agr_bank.with_user(self.pm_a).write({"share": 50.0})
        with self.assertRaisesExactly(
            AccessError, "You are not allowed to modify 'Risk-Sharing Agreement'"
        ):
            self.agr_bank.with_user(self.finance).write({"share": 50.0})
        self.agr_bank.with_user(self.gadmin).write({"claim_days": 45})
        self.assertEqual(self.agr_bank.claim_days, 45)

    def test_filing_filed_then_accepted_with_the_counterpartys_number(self):
        project = self._filed_project(self._company_partner("午"))
        filing = project.share_filing_ids[:1].with_user(self.finance)
        filing.action_mark_filed()
        self.assertEqual(filing.state, "filed")
        self.assertEqual(filing.date_filed, date.today())
        filing.action_accept(reference="BA-1")
        self.assertEqual((filing.state, filing.reference), ("accepted", "BA-1"))
        self.assertEqual(project.own_share, 40.0)

    def test_a_filing_is_listed_to_file_and_its_decision_is_final(self):
        """Issue 22, the declared state machine: a filing is only listed by the release (not
        created nor copied, even as superuser), moves through its actions, and an accepted or
        refused filing is never moved again."""
        project = self._filed_project(self._company_partner("寅"))
        accepted, refused = project.share_filing_ids[:2].with_user(self.finance)
        self.assertEqual(set((accepted | refused).mapped("state")), {"to_file"})
        listed_only = r"^Filings are listed by the system when a covered loan is released\.$"
        with self.assertRaisesExactly(UserError, listed_only):
            self.env["guarantee.share.filing"].sudo().create({
                "project_id": project.id, "agreement_id": accepted.agreement_id.id,
                "date_deadline": "2026-12-31", "state": "accepted",
            })
        with self.assertRaisesExactly(UserError, listed_only):
            accepted.sudo().copy()
        accepted.action_mark_filed(reference="BA-2")
        accepted.action_accept()
        refused.action_refuse("不属于政策性业务范围")
        for filing, label in ((accepted, "Accepted"), (refused, "Refused")):
            for state, new in (("to_file", "To File"), ("filed", "Filed")):
                with self.assertRaisesExactly(
                    UserError,
                    r"^%s is %s and cannot become %s\.$"
                    % (re.escape(filing.display_name), label, new),
                ):
                    filing.sudo()._unlocked().write({"state": state})
        with self.assertRaisesExactly(
            UserError,
            r"^%s is Accepted and cannot become Refused\.$" % re.escape(accepted.display_name),
        ):
            accepted.sudo()._unlocked().write({"state": "refused"})
        self.assertEqual((accepted.state, refused.state), ("accepted", "refused"))
