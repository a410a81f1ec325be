from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.guarantee_accounting.tests.common import (
    WALK,
    GuaranteeAccountingCase,
    mark_done_by_hand,
)


class GuaranteeReportingCase(GuaranteeAccountingCase):
    """A fixed portfolio of one project manager, every figure of which the tests know.

    The current month is the reported period. Before it: eight projects in force (A … K),
    snapshot on the eve of the period (D0). In the period: N is activated, R released, K
    compensated (then part recovered, part written off), fees fall due on A and B.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"guarantee_net_assets_source": "config",
                           "guarantee_net_assets": 100_000_000})
        cls.pm_gold = new_test_user(
            cls.env, "t_pm_gold", groups="guarantee_base.group_guarantee_project_manager"
        )
        cls.today = fields.Date.context_today(cls.env["guarantee.project"])
        cls.date_from = cls.today.replace(day=1)
        cls.date_to = cls.env["guarantee.report.figures"].month_bounds(cls.today)[1]
        cls.d0 = cls.date_from - timedelta(days=1)
        cls.before = cls.date_from - timedelta(days=40)
        Product = cls.env["guarantee.product"]
        cls.bond_product = Product.create({"name": "测试债券担保", "code": "T-BOND",
                                           "business_type": "bond"})
        cls.housing_product = Product.create({"name": "测试住房置业担保", "code": "T-HOUSE",
                                              "business_type": "housing"})
        cls.bid_product = Product.create({"name": "测试投标保函", "code": "T-BID",
                                          "business_type": "non_financing"})
        cls.group = cls.env["guarantee.related.group"].create({"name": "测试关联集团"})
        cls.a = cls._golden("A", "small", 3_000_000)
        cls.b = cls._golden("B", "large", 4_000_000, own_share=50, group=cls.group)
        cls.c = cls._golden("C", "large", 10_000_000, product=cls.bond_product,
                            issuer_rating="AA")
        cls.d = cls._golden("D", "large", 1_000_000, product=cls.housing_product)
        cls.e = cls._golden("E", "large", 500_000, product=cls.bid_product)
        cls.f = cls._golden("F", "small", 1_234_567.89, group=cls.group)
        cls.r = cls._golden("R", "large", 2_000_000)
        cls.k = cls._golden("K", "large", 1_500_000)
        # as an approved reclassification writes it (guarantee.risk.classification)
        cls.b._unlocked().write({"risk_class": "substandard"})
        cls._move_logs(cls.a | cls.b | cls.c | cls.d | cls.e | cls.f | cls.r | cls.k)
        cls.env["guarantee.balance.snapshot"]._take_snapshot(cls.d0)
        # In the period
        cls.n = cls._golden("N", "small", 800_000, release_date=cls.date_from)
        logs = cls.n.state_log_ids
        active_log = logs.filtered(lambda log: log.state == "active")
        active_log.write({"duration_days": 2.5})
        # accepted six days before its loan was released (the first of the period)
        logs.filtered(lambda log: log.state == "accepted").write(
            {"date": datetime.combine(cls.date_from - timedelta(days=6), time(10))}
        )
        cls.r._do_transition("release", {"date_released": cls.date_from})
        cls.compensation = cls._golden_compensation(cls.k, 1_000_000, 20_000)
        recovery = cls.env["guarantee.recovery"].create(
            {"project_id": cls.k.id, "kind": "cash", "amount": 300_000}
        )
        recovery.with_user(cls.finance).action_post()
        loss = cls.env["guarantee.loss"].create({
            "project_id": cls.k.id, "amount": 100_000, "reason": "借款人破产清算",
            "evidence_kind": "enforcement_ruling", "evidence_ids": [(6, 0, cls.evidence.ids)],
        })
        loss.with_user(cls.finance).action_post()
        fee_a = cls._fee(cls.a, 45_000)
        fee_a.action_mark_paid(cls.date_from)
        cls._fee(cls.b, 30_000.50)

    @classmethod
    def _golden(cls, code, scale, amount, own_share=100, product=None, group=None,
                issuer_rating=False, release_date=None):
        partner = cls.env["res.partner"].create({
            "name": "金标客户%s有限公司" % code,
            "is_company": True,
            "is_guarantee_customer": True,
            "uscc": cls._valid_uscc("330106", "GDJB000" + code),
            "enterprise_scale": scale,
            "related_group_id": group.id if group else False,
            "state_id": cls.env.ref("base.state_cn_ZJ").id,
        })
        project = cls._create_project(
            partner_id=partner.id, amount=amount, own_share=own_share,
            product_id=(product or cls.product).id, manager_id=cls.pm_gold.id,
            issuer_rating=issuer_rating,
        )
        for step in WALK:
            project._do_transition(step)
        project.write({"loan_release_date": release_date or cls.before,
                       "loan_amount_released": amount})
        project._do_transition("activate")
        return project

    @classmethod
    def _golden_compensation(cls, project, principal, interest):
        """Demanded, approved through its tier, paid by a payment order marked done today."""
        compensation = cls.env["guarantee.compensation"].create({
            "project_id": project.id, "principal": principal, "interest": interest,
            "bank_reference": "GOLD-%s" % project.id,
            "evidence_ids": [(6, 0, cls.evidence.ids)],
        })
        compensation.with_user(cls.finance).action_approve()
        compensation.with_user(cls.executive).validate_tier()
        compensation.with_user(cls.finance).action_approve()
        action = compensation.with_user(cls.finance).action_create_payment_order()
        mark_done_by_hand(cls.env["guarantee.payment.order"].browse(action["res_id"]),
                          cls.finance)
        return compensation

    @classmethod
    def _move_logs(cls, projects):
        """The projects were accepted 50 days and activated 40 days before the period."""
        logs = projects.state_log_ids
        start = datetime.combine(cls.before, time(9))
        logs.filtered(lambda log: log.state != "active").write(
            {"date": start - timedelta(days=10)}
        )
        logs.filtered(lambda log: log.state == "active").write({"date": start})

    @classmethod
    def _fee(cls, project, amount):
        return cls.env["guarantee.fee"].create({
            "project_id": project.id, "date_from": cls.date_from, "date_to": cls.date_to,
            "date_due": cls.date_from, "amount": amount, "is_upfront": True,
        })

    def figures(self, user=None):
        return self.env["guarantee.report.figures"].with_user(user or self.executive)
