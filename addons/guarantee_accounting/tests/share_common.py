from odoo.addons.guarantee_risk.tests.share_common import ShareFixtures

from .common import WALK, mark_done_by_hand


class ShareAccountingFixtures(ShareFixtures):
    """The 4:3:2:1 split on projects put in force and compensated in ``setUpClass``, for a
    case derived from GuaranteeAccountingCase."""

    @classmethod
    def _shared_project_for(cls, name, org8, amount, agreements=None):
        """A small enterprise's project with the split, released on 2026-01-05."""
        partner = cls.env["res.partner"].create({
            "name": name, "is_company": True, "is_guarantee_customer": True,
            "uscc": cls._valid_uscc("330106", org8), "enterprise_scale": "small",
            "user_id": cls.pm_a.id,
        })
        project = cls._with_split(cls._create_project(partner_id=partner.id, amount=amount),
                                  agreements)
        for step in WALK:
            project._do_transition(step)
        project.write({"loan_release_date": "2026-01-05", "loan_amount_released": amount})
        project._do_transition("activate")
        return project

    @classmethod
    def _compensate(cls, project, principal, interest):
        """A compensation approved through its executive tier and paid by finance."""
        compensation = cls.env["guarantee.compensation"].create({
            "project_id": project.id, "demand_date": "2026-06-30",
            "principal": principal, "interest": interest,
            "bank_reference": "CUI-%s" % project.id,
            "evidence_ids": [(6, 0, cls.evidence.ids)],
        })
        compensation.with_user(cls.finance).action_approve()
        compensation.with_user(cls.executive).validate_tier()
        compensation.with_user(cls.finance).action_approve()
        action = compensation.with_user(cls.finance).action_create_payment_order()
        mark_done_by_hand(cls.env["guarantee.payment.order"].browse(action["res_id"]),
                          cls.finance)
        return compensation
