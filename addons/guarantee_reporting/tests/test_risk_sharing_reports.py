from odoo import fields
from odoo.tests import tagged

from odoo.addons.guarantee_accounting.tests.common import GuaranteeAccountingCase
from odoo.addons.guarantee_accounting.tests.share_common import ShareAccountingFixtures


@tagged("post_install", "-at_install")
class TestRiskSharingReports(ShareAccountingFixtures, GuaranteeAccountingCase):
    """Exposure and compensation by sharing party, the cover at stake on unfiled projects,
    and outstanding claims by age, every figure computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._share_setup(cls.product)
        # A: ¥4,000,000 in force, filed; B: ¥2,000,000 in force, its filings never made
        # (released 2026-01-05: the deadlines have passed); C: ¥6,000,000, compensated with
        # ¥5,000,000 principal and ¥100,000 interest
        cls.a = cls._shared_project_for("报表甲有限公司", "R1A2B3C4", 4_000_000)
        cls.b = cls._shared_project_for("报表乙有限公司", "R2A3B4C5", 2_000_000)
        cls.c = cls._shared_project_for("报表丙有限公司", "R3A4B5C6", 6_000_000)
        for filing in cls.a.share_filing_ids:
            filing.with_user(cls.finance).action_mark_filed()
        compensation = cls._compensate(cls.c, principal=5_000_000, interest=100_000)
        claims = {c.agreement_id: c.with_user(cls.finance)
                  for c in compensation.share_claim_ids}
        # re-guarantor: 30% × 5,000,000 = 1,500,000, accepted and paid
        # bank: 20% × 5,100,000 = 1,020,000, accepted, unpaid
        # fund: 10% × 5,000,000 = 500,000, still a draft
        for agreement in (cls.agr_reguarantor, cls.agr_bank):
            claims[agreement].action_send()
            claims[agreement].action_accept()
        line = cls.env["account.bank.statement.line"].sudo().create({
            "journal_id": cls.company.guarantee_bank_journal_id.id,
            "date": fields.Date.today(), "amount": 1_500_000,
            "payment_ref": claims[cls.agr_reguarantor].name,
            "partner_id": cls.reguarantor.id,
        })
        line._guarantee_auto_reconcile()
        cls.claims = claims
        # ¥1,000,000 recovered: re-guarantor 30% = 300,000 back (the bank has paid
        # nothing yet, the fund does not share recoveries)
        recovery = cls.env["guarantee.recovery"].with_user(cls.finance).create({
            "project_id": cls.c.id, "kind": "cash", "amount": 1_000_000,
            "payer_id": cls.customer.id,
        })
        recovery.action_post()

    def _rows(self, model, domain=()):
        return self.env[model].search([("company_id", "=", self.company.id), *domain])

    def test_exposure_and_compensation_by_sharing_party(self):
        rows = {row.agreement_id: row for row in self._rows(
            "guarantee.report.sharing", [("agreement_id", "in", self.split.ids)])}
        reg, bank, gov = rows[self.agr_reguarantor], rows[self.agr_bank], rows[self.agr_gov]
        # in force: A and B, 6,000,000 outstanding: 30% = 1,800,000, 20% = 1,200,000,
        # 10% = 600,000
        self.assertEqual([reg.project_count, bank.project_count, gov.project_count], [2, 2, 2])
        self.assertEqual([reg.exposure, bank.exposure, gov.exposure],
                         [1_800_000, 1_200_000, 600_000])
        self.assertEqual([reg.claimed, reg.accepted, reg.paid, reg.outstanding, reg.returned],
                         [1_500_000, 1_500_000, 1_500_000, 0, 300_000])
        self.assertEqual([bank.claimed, bank.accepted, bank.paid, bank.outstanding,
                          bank.returned], [1_020_000, 1_020_000, 0, 1_020_000, 0])
        # the fund's claim is a draft: nothing claimed yet
        self.assertEqual([gov.claimed, gov.outstanding], [0, 0])

    def test_cover_lost_by_unfiled_projects(self):
        rows = self._rows("guarantee.report.share.cover",
                          [("project_id", "in", (self.a | self.b | self.c).ids)])
        # A is filed; B's two filings are past their deadlines; C was compensated with its
        # filings never made: outstanding 0, nothing more at stake
        by_key = {(row.project_id, row.agreement_id): row for row in rows}
        self.assertEqual(set(by_key), {(self.b, self.agr_reguarantor), (self.b, self.agr_gov),
                                       (self.c, self.agr_reguarantor), (self.c, self.agr_gov)})
        # B: 30% and 10% of its 2,000,000 outstanding
        self.assertEqual((by_key[self.b, self.agr_reguarantor].status,
                          by_key[self.b, self.agr_reguarantor].cover), ("lost", 600_000))
        self.assertEqual(by_key[self.b, self.agr_gov].cover, 200_000)
        self.assertEqual(by_key[self.c, self.agr_gov].cover, 0)

    def test_outstanding_claims_and_their_age(self):
        rows = {row.claim_id: row for row in self._rows(
            "guarantee.report.share.claim.age", [("project_id", "=", self.c.id)])}
        # the paid claim is settled; the bank's 1,020,000 and the fund's 500,000 are not
        self.assertEqual(set(rows), {self.claims[self.agr_bank], self.claims[self.agr_gov]})
        bank = rows[self.claims[self.agr_bank]]
        self.assertEqual((bank.outstanding, bank.state), (1_020_000, "accepted"))
        # compensated today: 0 days, the first bucket
        self.assertEqual((bank.age_days, bank.age_bucket), (0, "0_30"))
        self.assertEqual(rows[self.claims[self.agr_gov]].outstanding, 500_000)

    def test_project_managers_do_not_read_the_sharing_reports(self):
        for model in ("guarantee.report.sharing", "guarantee.report.share.cover",
                      "guarantee.report.share.claim.age"):
            self.assertFalse(self.env[model].with_user(self.pm_a).has_access("read"))
            self.assertTrue(self.env[model].with_user(self.finance).search_count([]))
