from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

from .common import RiskCase


@tagged("post_install", "-at_install")
class TestConcentrationByCommercialPartner(RiskCase, JsonRpcMixin, HttpCase):
    """Issue 22, "Found": a contact person of a borrower counted as a separate borrower in
    the concentration limit (the key ignored ``commercial_partner_id``): two ¥60m approvals,
    12% of net assets, both passed. Net assets ¥1,000,000,000: the limit for one party is
    10%, ¥100,000,000; the company and its contact person are one party of ¥120,000,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.executive_demo = work_in_company(cls.env, cls.company, ["executive"])
        cls.executive_demo.lang = "en_US"
        cls.borrower = cls._company_partner("常州精工机械有限公司", "medium")
        cls.contact = cls.env["res.partner"].create({
            "name": "王建国", "parent_id": cls.borrower.id, "type": "contact",
            "is_guarantee_customer": True, "user_id": cls.pm_a.id,
        })

    def _approve(self, project):
        self._complete_documents(project)
        return self.rpc("guarantee.project", "action_approve", [project.id])

    def test_a_company_and_its_contact_person_are_one_borrower(self):
        self.assertEqual(self.contact.commercial_partner_id, self.borrower)
        first = self._in_review(self.borrower, 60_000_000)
        second = self._in_review(self.contact, 60_000_000)
        self.assertEqual(second._borrower_key(), first._borrower_key())
        self.rpc_login("executive")
        _text, _result, error = self._approve(first)
        self.assertFalse(error, error)
        self.assertEqual(first.state, "approved")
        _text, result, error = self._approve(second)
        self.assertIsNone(result)
        self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError", error)
        self.assertIn("12.00%", error["data"]["message"])
        self.assertIn("¥120,000,000.00", error["data"]["message"])
        self.assertEqual(second.state, "reviewing")
        self.assertIn("¥100,000,000.00", error["data"]["message"])
        # the contact's commitment is kept under the company's key in the exposure ledger
        second._do_transition("approve")
        rows = self.env["guarantee.exposure"].search([
            ("company_id", "=", self.company.id), ("scope", "=", "borrower"),
            ("partner_id", "=", self.contact.id),
        ])
        self.assertEqual(set(rows.mapped("borrower_key")), {self.borrower.uscc})
