from odoo.tests import Form

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_platform.tools.identifiers import make_resident_id


def reclassify(project, new_class, proposer, approver):
    """A class change proposed by ``proposer`` and validated by ``approver`` (four eyes: the
    tier's reviewers are risk officers and executives other than the proposer)."""
    form = Form(
        project.env["guarantee.risk.classification"]
        .with_user(proposer)
        .with_context(default_project_id=project.id)
    )
    form.new_class = new_class
    form.reason = "借款人逾期，现金流紧张"
    change = form.save()
    change.action_submit()
    change.with_user(approver).validate_tier()
    return change


class RiskCase(GuaranteeCase):
    """A company of its own (so demo projects stay out of the portfolio figures), with one
    product per business type and helpers to put projects in force."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.env.ref("base.CNY")
        cny.active = True
        cls.company = cls.env["res.company"].create(
            {
                "name": "测试融资担保有限公司",
                "currency_id": cny.id,
                "guarantee_net_assets": 1_000_000_000,
            }
        )
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        for user in (
            cls.pm_a,
            cls.pm_b,
            cls.pm_other,
            cls.risk,
            cls.committee,
            cls.finance,
            cls.executive,
            cls.gadmin,
        ):
            user.write({"company_ids": [(4, cls.company.id)], "company_id": cls.company.id})
        Product = cls.env["guarantee.product"]
        cls.products = {
            business_type: Product.create(
                {
                    "name": "测试%s" % business_type,
                    "code": "R-%s" % business_type.upper(),
                    "business_type": business_type,
                    "company_id": cls.company.id,
                    "currency_id": cny.id,
                    "committee_threshold": 1e12,
                }
            )
            for business_type in ("loan", "bond", "other_financing", "housing", "non_financing")
        }
        cls.bank = cls.env["res.partner"].create({"name": "测试银行南京分行", "is_company": True})
        cls.serial = 0

    @classmethod
    def _company_partner(cls, name, scale="small", **values):
        cls.serial += 1
        org8 = "RK%06d" % cls.serial
        return cls.env["res.partner"].create(
            dict(
                {
                    "name": name,
                    "is_company": True,
                    "is_guarantee_customer": True,
                    "uscc": cls._valid_uscc("320100", org8),
                    "enterprise_scale": scale,
                    "user_id": cls.pm_a.id,
                },
                **values,
            )
        )

    @classmethod
    def _farm_household(cls, name):
        cls.serial += 1
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": False,
                "is_guarantee_customer": True,
                "is_agricultural": True,
                "uscc": make_resident_id("32010219800101%03d" % cls.serial),
                "user_id": cls.pm_a.id,
            }
        )

    @classmethod
    def _project(cls, partner, amount, business_type="loan", **values):
        return cls.env["guarantee.project"].create(
            dict(
                {
                    "company_id": cls.company.id,
                    "partner_id": partner.id,
                    "product_id": cls.products[business_type].id,
                    "creditor_id": cls.bank.id,
                    "amount": amount,
                    "term_months": 12,
                    "date_start": "2026-01-01",
                    "manager_id": cls.pm_a.id,
                    "assistant_id": cls.pm_b.id,
                    "investigation_summary": "<p>经营正常</p>",
                },
                **values,
            )
        )

    @classmethod
    def _in_force(cls, partner, amount, business_type="loan", **values):
        """A project in force for its whole amount (fixture: the gates are tested elsewhere;
        the step jumps the state graph through the declared history path, as the ledger
        import does)."""
        project = cls._project(partner, amount, business_type, **values)
        project.write({"loan_release_date": "2026-01-01", "loan_amount_released": amount})
        project._unlocked(history=True)._do_transition("activate")
        return project

    @classmethod
    def _in_review(cls, partner, amount, business_type="loan", **values):
        """A project under review (fixture: straight from intake, through the history
        path)."""
        project = cls._project(partner, amount, business_type, **values)
        project._unlocked(history=True)._do_transition("submit_review")
        return project
