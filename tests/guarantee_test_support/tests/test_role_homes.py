"""Each role lands on its own work and reaches its daily screens: the home action of its role
(not Discuss), the project list opened on the work at hand, finance's bank reconciliation and
journal items, the project manager's CRM leads."""

from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.guarantee_base.tests.common import GuaranteeCase

GROUP = "guarantee_base.group_guarantee_"


@tagged("post_install", "-at_install")
class TestRoleHomes(GuaranteeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance_lead = new_test_user(cls.env, "t_finance_lead",
                                         groups=GROUP + "finance," + GROUP + "committee")

    def _readable(self, user, xml_id):
        """The action opens for ``user``: the action and its model are readable."""
        action = self.env["ir.actions.actions"].with_user(user)._for_xml_id(xml_id)
        if action.get("res_model"):
            self.env[action["res_model"]].with_user(user).search(
                safe_eval(action.get("domain") or "[]", {"uid": user.id}), limit=1)
        return action

    def test_each_role_lands_on_its_own_work(self):
        expected = {
            self.pm_a: "guarantee_base.guarantee_project_action_mine",
            self.risk: "guarantee_base.guarantee_project_action",
            self.committee: "guarantee_base.guarantee_review_vote_action_mine",
            self.finance: "guarantee_accounting.guarantee_compensation_action",
            self.executive: "guarantee_reporting.guarantee_dashboard_action",
            # a user in two roles lands on the one of the lower priority
            self.finance_lead: "guarantee_accounting.guarantee_compensation_action",
        }
        for user, xml_id in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(user.action_id.id, self.env.ref(xml_id).id)
                self._readable(user, xml_id)

    def test_a_home_action_chosen_for_the_user_is_kept(self):
        own = self.env.ref("guarantee_base.guarantee_review_action")
        self.pm_b.action_id = own.id
        self.pm_b.write({"groups_id": [(4, self.env.ref(GROUP + "risk").id)]})
        self.assertEqual(self.pm_b.action_id.id, own.id)

    def test_the_project_list_opens_on_the_work_at_hand(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "guarantee_base.guarantee_project_action")
        context = safe_eval(action["context"])
        self.assertEqual(
            {key for key, value in context.items() if key.startswith("search_default_") and value},
            {"search_default_in_process", "search_default_in_force"})
        mine = self.env["ir.actions.actions"]._for_xml_id(
            "guarantee_base.guarantee_project_action_mine")
        self.assertTrue(safe_eval(mine["context"])["search_default_my_projects"])

    def test_finance_reaches_bank_reconciliation_and_journal_items_with_lines(self):
        for xml_id in ("guarantee_accounting.guarantee_bank_reconcile_action",
                       "account.action_account_moves_all"):
            with self.subTest(action=xml_id):
                self._readable(self.finance, xml_id)
        menus = self.env["ir.ui.menu"].with_user(self.finance)._visible_menu_ids()
        for xml_id in ("guarantee_accounting.guarantee_bank_reconcile_menu",
                       "guarantee_accounting.guarantee_journal_items_menu"):
            self.assertIn(self.env.ref(xml_id).id, menus, xml_id)
        self.env["account.move.line"].with_user(self.finance).check_access("read")
        self.env["account.account.reconcile"].with_user(self.finance).check_access("read")

    def test_project_managers_work_on_the_leads_of_their_projects(self):
        lead = self.env["crm.lead"].create({"name": "流动资金贷款担保意向", "type": "opportunity"})
        project = self._create_project()
        lead.guarantee_project_id = project
        self.assertEqual(project.manager_id, self.pm_a)
        mine = self.env["crm.lead"].with_user(self.pm_a).search([("id", "=", lead.id)])
        self.assertEqual(mine, lead)
        mine.write({"description": "<p>已约见财务总监</p>"})
        self.assertFalse(self.env["crm.lead"].with_user(self.pm_other).search(
            [("id", "=", lead.id)]), "not the leads of other managers' projects")
        self.env["crm.lead"].with_user(self.pm_a).create({"name": "新客户线索"})

    def test_the_guarantee_administrator_opens_and_saves_the_guarantee_settings(self):
        from odoo.tests import Form

        self._readable(self.gadmin, "guarantee_base.res_config_settings_action_guarantee")
        quorum = self.env.company.guarantee_committee_quorum + 1
        form = Form(self.env["res.config.settings"].with_user(self.gadmin))
        form.guarantee_committee_quorum = quorum
        settings = form.save()
        settings.execute()
        self.assertEqual(self.env.company.guarantee_committee_quorum, quorum)
        self.assertFalse(self.gadmin.has_group("base.group_system"),
                         "saved without being a system administrator")
