class ShareFixtures:
    """The Anhui 4:3:2:1 split for tests: a provincial re-guarantor (30%, principal only,
    cap ¥10,000,000 per customer, filed within 30 days), the lending bank (20%, principal
    and interest, not filed) and a government fund (10%, principal only, filed within 60 days,
    recoveries not shared back). Mixed into a test case that has ``company``, ``bank`` and
    ``env``."""

    @classmethod
    def _share_setup(cls, product):
        Partner = cls.env["res.partner"]
        cls.reguarantor = Partner.create({"name": "测试省融资再担保有限公司", "is_company": True})
        cls.gov_fund = Partner.create({"name": "测试市政府风险补偿基金", "is_company": True})
        Agreement = cls.env["guarantee.share.agreement"]
        common = {"company_id": cls.company.id, "product_ids": [(6, 0, product.ids)]}
        cls.agr_reguarantor = Agreement.create(dict(
            common, name="省再担保分险协议", partner_id=cls.reguarantor.id, kind="reguarantor",
            share=30.0, max_per_customer=10_000_000, filing_days=30, claim_days=90,
            claim_base="principal", fee_rate=0.5, fee_base="amount", fee_period="yearly",
            share_recoveries=True,
        ))
        cls.agr_bank = Agreement.create(dict(
            common, name="银担分险协议", partner_id=cls.bank.id, kind="bank", share=20.0,
            claim_days=60, claim_base="principal_interest", share_recoveries=True,
        ))
        cls.agr_gov = Agreement.create(dict(
            common, name="政府风险补偿基金协议", partner_id=cls.gov_fund.id,
            kind="government_fund", share=10.0, filing_days=60, claim_days=120,
            claim_base="principal", share_recoveries=False,
        ))
        cls.split = cls.agr_reguarantor | cls.agr_bank | cls.agr_gov
        product.share_agreement_ids = [(6, 0, cls.split.ids)]

    @classmethod
    def _with_split(cls, project, agreements=None):
        agreements = cls.split if agreements is None else agreements
        cls.env["guarantee.project.share"].create([
            {"project_id": project.id, "agreement_id": agreement.id}
            for agreement in agreements
        ])
        return project
