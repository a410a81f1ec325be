"""The guarantee administrator configures but does not approve (issue 23), asked over JSON-RPC as
the demo users: no tier they define can name them as reviewer, they are never among a tier's
reviewers, they cannot override a regulatory limit, and they cannot give themselves a group."""

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

TIER_REFUSAL = ("担保管理员配置审批层级，不能审核这些层级：请为 %s 选择其他审核人。")
OVERRIDE_REFUSAL = "只有管理层可以超监管限额审批。"


@tagged("post_install", "-at_install")
class TestSeparationOfDuties(GuaranteeCase, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.env.company, ("gadmin", "executive"))
        cls.gadmin_user = cls.env.ref("guarantee_base.user_admin_chen")
        cls.executive_user = cls.env.ref("guarantee_base.user_executive_zheng")
        cls.admin_group = cls.env.ref("guarantee_base.group_guarantee_admin")
        cls.executive_group = cls.env.ref("guarantee_base.group_guarantee_executive")
        cls.tier = cls.env.ref("guarantee_base.tier_definition_project_executive_demo")
        cls.project = cls._create_project()
        for step in ("accept", "start_investigation", "submit_review"):
            cls.project._do_transition(step)

    def _error(self, model, method, *args, **kwargs):
        _text, result, error = self.rpc(model, method, *args, **kwargs)
        self.assertIsNone(result)
        return error["data"]["name"], error["data"]["message"]

    def test_the_administrator_cannot_name_themselves_reviewer_of_a_tier(self):
        self.rpc_login("gadmin")
        count = self.env["tier.definition"].search_count([])
        model_id = self.env["ir.model"]._get_id("guarantee.project")
        for values in ({"reviewer_group_id": self.admin_group.id},
                       {"review_type": "individual", "reviewer_id": self.gadmin_user.id}):
            with self.subTest(values=values):
                name, message = self._error("tier.definition", "create", dict(
                    values, name="管理员自审", model_id=model_id))
                self.assertEqual(name, "odoo.exceptions.ValidationError")
                self.assertEqual(message, TIER_REFUSAL % "管理员自审")
        name, message = self._error("tier.definition", "write", self.tier.ids, {
            "review_type": "individual", "reviewer_id": self.gadmin_user.id})
        self.assertEqual(name, "odoo.exceptions.ValidationError")
        self.assertEqual(message, TIER_REFUSAL % self.tier.name)
        self.assertEqual(self.env["tier.definition"].search_count([]), count)
        self.tier.invalidate_recordset()
        self.assertEqual(self.tier.reviewer_group_id, self.executive_group)

    def test_the_administrator_is_never_among_a_tiers_reviewers(self):
        self.assertNotIn(self.gadmin_user, self.executive_group.users)
        review = self.env["tier.review"].create({
            "model": "guarantee.project", "res_id": self.project.id,
            "definition_id": self.tier.id, "sequence": 99,
        })
        self.assertIn(self.executive_user, review.reviewer_ids)
        self.assertNotIn(self.gadmin_user, review.reviewer_ids)
        self.rpc_login("gadmin")
        rows = self.rpc_ok("guarantee.project", "search_read", [("id", "=", self.project.id)],
                           ["can_review"])
        self.assertFalse(rows[0]["can_review"])

    def test_the_administrator_cannot_override_a_regulatory_limit(self):
        self.rpc_login("gadmin")
        count = self.env["guarantee.limit.override"].search_count([])
        name, message = self._error("guarantee.limit.override", "create", {
            "project_id": self.project.id, "reason": "管理员自行放行"})
        self.assertEqual((name, message), ("odoo.exceptions.AccessError", OVERRIDE_REFUSAL))
        self.assertEqual(self.env["guarantee.limit.override"].search_count([]), count)

    def test_the_administrator_cannot_give_themselves_a_group(self):
        groups = self.gadmin_user.groups_id
        self.rpc_login("gadmin")
        system = self.env.ref("base.group_system")
        for model, ids, values in (
            ("res.users", self.gadmin_user.ids, {"groups_id": [(3, self.admin_group.id)]}),
            ("res.users", self.gadmin_user.ids, {"groups_id": [(4, system.id)]}),
            ("res.groups", self.executive_group.ids, {"users": [(4, self.gadmin_user.id)]}),
            ("res.groups", self.admin_group.ids, {"users": [(3, self.gadmin_user.id)]}),
        ):
            with self.subTest(model=model, values=values):
                name, _message = self._error(model, "write", ids, values)
                self.assertEqual(name, "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertEqual(self.gadmin_user.groups_id, groups)

    def test_the_administrator_is_not_an_executive_and_cannot_approve_a_tier(self):
        """The administrator holds the administrator group only: not the executive group,
        which they cannot add to themselves, and a tier of the executives stays unapproved
        when they try to approve it."""
        self.assertFalse(self.gadmin_user.has_group("guarantee_base.group_guarantee_executive"))
        self.assertFalse(self.admin_group.implied_ids & self.executive_group)
        review = self.env["tier.review"].create({
            "model": "guarantee.project", "res_id": self.project.id,
            "definition_id": self.tier.id, "sequence": 99,
        })
        self.rpc_login("gadmin")
        for model, ids, values in (
            ("res.users", self.gadmin_user.ids, {"groups_id": [(4, self.executive_group.id)]}),
            ("res.groups", self.executive_group.ids, {"users": [(4, self.gadmin_user.id)]}),
        ):
            with self.subTest(model=model):
                name, _message = self._error(model, "write", ids, values)
                self.assertEqual(name, "odoo.exceptions.AccessError")
        name, message = self._error("guarantee.project", "validate_tier", self.project.ids)
        self.assertEqual(name, "odoo.exceptions.UserError")
        refusal = f"您不是 {self.project.display_name} 待审批层级的审批人"
        self.assertTrue(message.startswith(refusal), message)
        self.env.invalidate_all()
        self.assertFalse(self.gadmin_user.has_group("guarantee_base.group_guarantee_executive"))
        self.assertNotIn("approved", self.project.review_ids.mapped("status"))
        self.assertFalse(self.project.review_ids.done_by)
        self.assertIn(review.status, ("waiting", "pending"))
