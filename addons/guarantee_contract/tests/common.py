from odoo.addons.guarantee_base.tests.common import GuaranteeCase


class ContractCase(GuaranteeCase):
    """Projects ready for contracting, with a mortgage and a guarantor as counter-guarantees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.guarantee_fee_day_count = "365"
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True
        # contracts are signed on paper unless a test configures its own CA provider
        cls.env["guarantee.esign.provider"].search([]).active = False
        cls.guarantor = cls.env["res.partner"].create(
            {
                "name": "王建国",
                "is_company": False,
                "is_guarantee_customer": True,
                "uscc": "11010519491231002X",
            }
        )

    @classmethod
    def _approved_project(cls, **overrides):
        """A project in the approved state.

        The earlier steps are taken through ``_do_transition``: their own gates (documents,
        review, limits) belong to other addons and are tested there.
        """
        project = cls._create_project(**dict({"currency_id": cls.cny.id}, **overrides))
        for step in ("accept", "start_investigation", "submit_review", "approve"):
            project._do_transition(step)
        return project

    @classmethod
    def _add_mortgage(cls, project, value=2000000):
        return cls.env["guarantee.collateral"].create(
            {
                "project_id": project.id,
                "name": "杭州市西湖区文三路100号厂房",
                "kind": "mortgage",
                "asset_type": "real_estate",
                "owner_id": project.partner_id.id,
                "appraised_value": value,
            }
        )

    @classmethod
    def _add_guarantor(cls, project):
        return cls.env["guarantee.collateral"].create(
            {
                "project_id": project.id,
                "name": "法定代表人个人连带责任保证",
                "kind": "guarantor",
                "asset_type": "person",
                "owner_id": cls.guarantor.id,
            }
        )

    @classmethod
    def _meet_contract_gates(cls, project):
        """Sign every required contract (on paper), pay the upfront fee and receive the whole
        margin: what this addon requires before ``action_contract``. Other addons' tests that
        contract a project can call it."""
        if not project.fee_ids:
            project.action_generate_fee_schedule()
        project.action_generate_contracts()
        drafts = project.contract_ids.filtered(lambda c: c.state == "draft")
        drafts.action_send_for_signing()
        drafts.filtered(lambda c: c.state == "sent").action_mark_signed()
        project.fee_ids.filtered(lambda f: f.is_upfront and f.state == "due").action_mark_paid()
        missing = project.margin_required - project.margin_balance
        if project.currency_id.compare_amounts(missing, 0.0) > 0:
            cls.env["guarantee.margin"].create(
                {"project_id": project.id, "kind": "receipt", "amount": missing}
            ).action_done()
