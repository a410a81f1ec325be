from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

from .common import GuaranteeAccountingCase

USER_ERROR = "odoo.exceptions.UserError"


@tagged("post_install", "-at_install")
class TestMoneyAtStake(GuaranteeAccountingCase, JsonRpcMixin, HttpCase):
    """Issue 22, "Found": a project manager archives an in-force project (it leaves the
    snapshot, the reports and the reserve base), clears its credit line or hands it to
    another manager. Now archiving is refused while money is at stake, and managers and
    credit lines change only through the reassignment wizard, which records who and why."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = work_in_company(cls.env, cls.company, ["pm1", "pm2", "risk", "executive"])
        users.lang = "en_US"
        cls.by_login = {user.login: user for user in users}
        cls.customer.user_id = cls.by_login["pm1"]
        cls.line = cls.env["guarantee.credit.line"].create({
            "partner_id": cls.customer.id, "amount": 5_000_000, "date_start": "2026-01-01",
            "date_end": "2026-12-31",
        })
        cls.line.action_confirm()
        cls.in_force = cls._project_in(
            "active", manager_id=cls.by_login["pm1"].id, assistant_id=cls.by_login["pm2"].id
        )

    def _refused(self, model, method, *args, message, name=USER_ERROR):
        _text, result, error = self.rpc(model, method, *args)
        self.assertIsNone(result)
        self.assertEqual(error and error["data"]["name"], name, error)
        self.assertRegex(error["data"]["message"], message)

    def test_a_project_manager_cannot_archive_an_in_force_project(self):
        project = self.in_force
        self.assertEqual((project.state, project.balance), ("active", 800000.0))
        self.rpc_login("pm1")
        archived = "is In Force: a record with a balance or money still moving is not archived"
        self._refused("guarantee.project", "action_archive", [project.id], message=archived)
        self._refused("guarantee.project", "write", [project.id], {"active": False},
                      message=archived)
        self.assertTrue(project.active)
        # a project without money at stake is archived as before
        draft = self._create_project(manager_id=self.by_login["pm1"].id,
                                     assistant_id=self.by_login["pm2"].id)
        self.rpc_ok("guarantee.project", "action_archive", [draft.id])
        self.assertFalse(draft.active)

    def test_managers_and_credit_line_of_an_in_force_project_change_only_with_a_reason(self):
        project = self.in_force
        self.assertEqual(project.credit_line_id, self.line)
        pm1, pm2 = self.by_login["pm1"], self.by_login["pm2"]
        self.rpc_login("pm1")
        frozen = "is In Force: .* can no longer be changed"
        self._refused("guarantee.project", "write", [project.id],
                      {"manager_id": self.pm_other.id}, message=frozen)
        self._refused("guarantee.project", "write", [project.id],
                      {"assistant_id": self.pm_other.id}, message=frozen)
        self._refused("guarantee.project", "write", [project.id], {"credit_line_id": False},
                      message=frozen)
        self._refused("guarantee.project.reassign.wizard", "create", {
            "project_id": project.id, "manager_id": pm2.id, "assistant_id": pm1.id,
            "reason": "交接",
        }, message="not allowed", name="odoo.exceptions.AccessError")
        self.assertEqual((project.manager_id, project.assistant_id, project.credit_line_id),
                         (pm1, pm2, self.line))
        # the executive hands the project over, with the reason
        self.rpc_login("executive")
        wizard = self.rpc_ok("guarantee.project.reassign.wizard", "create", {
            "project_id": project.id, "manager_id": self.pm_other.id, "assistant_id": pm2.id,
            "credit_line_id": self.line.id, "reason": "张经理调岗，项目移交",
        })
        self.rpc_ok("guarantee.project.reassign.wizard", "action_confirm", [wizard])
        self.assertEqual(project.manager_id, self.pm_other)
        note = project.message_ids.filtered(lambda m: "张经理调岗，项目移交" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.by_login["executive"].partner_id)
        self.assertIn("Reassigned by %s" % self.by_login["executive"].name, note.body)
        self.assertIn(pm1.name, note.body)
        # the risk officer releases the credit line, with the reason; not the managers
        self.rpc_login("risk")
        wizard = self.rpc_ok("guarantee.project.reassign.wizard", "create", {
            "project_id": project.id, "manager_id": self.pm_other.id, "assistant_id": pm2.id,
            "credit_line_id": False, "reason": "授信到期不再占用",
        })
        self.rpc_ok("guarantee.project.reassign.wizard", "action_confirm", [wizard])
        self.assertFalse(project.credit_line_id)
        wizard = self.rpc_ok("guarantee.project.reassign.wizard", "create", {
            "project_id": project.id, "manager_id": pm1.id, "assistant_id": pm2.id,
            "credit_line_id": False, "reason": "换回",
        })
        self._refused("guarantee.project.reassign.wizard", "action_confirm", [wizard],
                      message="You may not change", name="odoo.exceptions.AccessError")
        self.assertEqual(project.manager_id, self.pm_other)

    def test_the_b_role_cannot_activate_a_project_with_a_release_date_five_years_ahead(self):
        """Issue 22, "Found": the public method behind loan release took any date and
        amount; the B-role of a contracted project activated it five years ahead."""
        pm1, pm2 = self.by_login["pm1"], self.by_login["pm2"]
        project = self._project_in("contracted", manager_id=pm1.id, assistant_id=pm2.id)
        self.assertEqual(project.state, "contracted")
        self.rpc_login("pm2")
        ahead = "The loan release date 2031-12-05 is after today"
        self._refused("guarantee.project", "action_activate", [project.id], "2031-12-05",
                      800000.0, message=ahead)
        # nor by writing the date on the form first
        self.rpc_ok("guarantee.project", "write", [project.id],
                    {"loan_release_date": "2031-12-05", "loan_amount_released": 800000.0})
        self._refused("guarantee.project", "action_activate", [project.id], message=ahead)
        self.assertEqual(project.state, "contracted")
        # above the guaranteed amount of 1,000,000
        self._refused("guarantee.project", "action_activate", [project.id], "2026-01-05",
                      2_000_000.0, message="exceeds the guaranteed amount",
                      name="odoo.exceptions.ValidationError")
        # a role that does not record loan releases
        self.rpc_login("risk")
        self._refused("guarantee.project", "action_activate", [project.id], "2026-01-05",
                      800000.0, message="Only project managers, finance and executives",
                      name="odoo.exceptions.AccessError")
        project.invalidate_recordset()
        self.assertEqual((project.state, project.balance), ("contracted", 0.0))
