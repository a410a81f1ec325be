from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.guarantee_platform.tools.identifiers import make_uscc

from .refusals import RefusalAssertions


class GuaranteeCase(RefusalAssertions, TransactionCase):
    """Users of every role, a customer, a bank and a product, for the guarantee tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "guarantee_base.group_guarantee_"
        cls.pm_a = new_test_user(cls.env, "t_pm_a", groups=groups + "project_manager")
        cls.pm_b = new_test_user(cls.env, "t_pm_b", groups=groups + "project_manager")
        cls.pm_other = new_test_user(cls.env, "t_pm_other", groups=groups + "project_manager")
        cls.risk = new_test_user(cls.env, "t_risk", groups=groups + "risk")
        cls.committee = new_test_user(cls.env, "t_committee", groups=groups + "committee")
        cls.finance = new_test_user(cls.env, "t_finance", groups=groups + "finance")
        cls.executive = new_test_user(cls.env, "t_exec", groups=groups + "executive")
        cls.gadmin = new_test_user(cls.env, "t_gadmin", groups=groups + "admin")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "测试机械有限公司",
                "is_company": True,
                "is_guarantee_customer": True,
                "uscc": cls._valid_uscc("330106", "T1E2R3T4"),
                "enterprise_scale": "small",
                "state_id": cls.env.ref("base.state_cn_ZJ").id,
                "user_id": cls.pm_a.id,
            }
        )
        cls.bank = cls.env["res.partner"].create({"name": "测试银行杭州分行", "is_company": True})
        cls.product = cls.env["guarantee.product"].create(
            {
                "name": "测试流动资金贷款担保",
                "code": "T-LOAN",
                "business_type": "loan",
                "default_fee_rate": 1.5,
                "default_margin_rate": 10,
                "committee_threshold": 100000000,
            }
        )

    @staticmethod
    def _valid_uscc(region, org8):
        """A USCC for ``region`` and organisation code body ``org8``, with both check
        characters computed (GB 11714 for the organisation code, GB 32100 for the whole)."""
        return make_uscc(region, org8)

    @classmethod
    def _project_vals(cls, **overrides):
        vals = {
            "partner_id": cls.customer.id,
            "product_id": cls.product.id,
            "creditor_id": cls.bank.id,
            "amount": 1000000,
            "term_months": 12,
            "date_start": "2026-01-01",
            "manager_id": cls.pm_a.id,
            "assistant_id": cls.pm_b.id,
            "investigation_summary": "<p>经营正常</p>",
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _create_project(cls, **overrides):
        return cls.env["guarantee.project"].create(cls._project_vals(**overrides))

    @classmethod
    def _complete_documents(cls, project, uploader=None, verifier=None):
        """Upload (as the A-role) and verify (as the risk officer) every document of the
        project's checklist, so that the document gates let every step through."""
        missing = project.document_ids.filtered(lambda d: d.state == "missing")
        missing.with_user(uploader or project.manager_id).write(
            {"attachment_ids": [Command.create({"name": "scan.pdf", "raw": b"%PDF-1.4 test"})]}
        )
        project.document_ids.filtered(lambda d: d.state == "uploaded").with_user(
            verifier or cls.risk
        ).action_verify()
