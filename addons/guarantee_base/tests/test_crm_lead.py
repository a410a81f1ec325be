from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestCrmLead(GuaranteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            "t_sales_pm",
            groups="sales_team.group_sale_salesman,guarantee_base.group_guarantee_project_manager",
        )
        cls.prospect = cls.env["res.partner"].create(
            {"name": "潜在客户科技有限公司", "is_company": True}
        )

    def _lead(self, **values):
        return self.env["crm.lead"].create(
            dict(
                {
                    "name": "流动资金贷款担保需求",
                    "type": "opportunity",
                    "partner_id": self.prospect.id,
                    "user_id": self.salesman.id,
                    "expected_revenue": 3000000,
                    "guarantee_product_id": self.product.id,
                },
                **values,
            )
        )

    def test_button_creates_the_draft_application_with_customer_and_amount(self):
        lead = self._lead(guarantee_amount=2500000)
        action = lead.with_user(self.salesman).action_create_guarantee_project()
        project = lead.guarantee_project_id
        self.assertEqual(action["res_id"], project.id)
        self.assertEqual(project.state, "draft")
        self.assertEqual(project.partner_id, self.prospect)
        self.assertTrue(self.prospect.is_guarantee_customer)
        self.assertEqual(project.amount, 2500000)
        self.assertEqual(project.product_id, self.product)
        self.assertEqual(project.manager_id, self.salesman, "the salesperson is the A-role")
        self.assertEqual(project.lead_id, lead)

    def test_expected_revenue_is_the_amount_when_no_requested_amount(self):
        lead = self._lead()
        lead.with_user(self.salesman).action_create_guarantee_project()
        self.assertEqual(lead.guarantee_project_id.amount, 3000000)

    def test_lead_without_partner_creates_the_customer_from_its_company_name(self):
        lead = self._lead(partner_id=False, partner_name="新客户制造有限公司")
        lead.with_user(self.salesman).action_create_guarantee_project()
        customer = lead.guarantee_project_id.partner_id
        self.assertEqual(customer.name, "新客户制造有限公司")
        self.assertTrue(customer.is_guarantee_customer)

    def test_creating_twice_is_refused(self):
        lead = self._lead()
        lead.with_user(self.salesman).action_create_guarantee_project()
        with self.assertRaisesExactly(
            UserError,
            r"^The guarantee application cannot be created:\n - The guarantee application "
            r"DB\d{4}-\d{5} was already created from this lead\.$",
        ):
            lead.with_user(self.salesman).action_create_guarantee_project()
        self.assertEqual(
            self.env["guarantee.project"].search_count([("lead_id", "=", lead.id)]), 1
        )

    def test_lead_without_customer_or_amount_is_refused_and_nothing_created(self):
        count = self.env["guarantee.project"].search_count([])
        lead = self._lead(partner_id=False, expected_revenue=0)
        with self.assertRaisesExactly(UserError, "The lead has no customer") as refused:
            lead.with_user(self.salesman).action_create_guarantee_project()
        self.assertIn("no customer", str(refused.exception))
        self.assertIn("no amount", str(refused.exception))
        self.assertEqual(self.env["guarantee.project"].search_count([]), count)
        self.assertFalse(lead.guarantee_project_id)
