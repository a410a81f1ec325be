from datetime import date

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_base.tests.rpc import JsonRpcMixin, work_in_company

from .common import GuaranteeAccountingCase

WIZARD = "guarantee.reserve.wizard"


@tagged("post_install", "-at_install")
class TestReservesInOrder(GuaranteeAccountingCase, JsonRpcMixin, HttpCase):
    """Issue 22, "Found": whoever can open the reserve wizard (finance, and the guarantee
    administrator, who should only read money) provisions up to 2099-12-31, after which no
    period can be provisioned again. Now only finance provisions, only a period that has
    ended, right after the last one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work_in_company(cls.env, cls.company, ["finance", "gadmin"]).lang = "en_US"
        cls._project_in("active")
        Snapshot = cls.env["guarantee.balance.snapshot"]
        for day in (date(2026, 10, 31), date(2026, 11, 30)):
            Snapshot._take_snapshot(day, cls.company)

    def _provision(self, date_from, date_to):
        """The provision made through the wizard, or the error the server answered."""
        wizard = self.rpc_ok(WIZARD, "create", {"date_from": date_from, "date_to": date_to})
        _text, result, error = self.rpc(WIZARD, "action_provision", [wizard])
        return result, error

    def _assert_refused(self, date_from, date_to, message):
        result, error = self._provision(date_from, date_to)
        self.assertIsNone(result)
        self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError", error)
        self.assertRegex(error["data"]["message"], message)

    def test_the_guarantee_administrator_cannot_provision(self):
        self.rpc_login("gadmin")
        _text, result, error = self.rpc(WIZARD, "create",
                                        {"date_from": "2026-10-01", "date_to": "2026-10-31"})
        self.assertIsNone(result)
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self.env["guarantee.reserve.provision"].search(
            [("company_id", "=", self.company.id)]))

    def test_finance_provisions_only_ended_periods_in_order(self):
        Provision = self.env["guarantee.reserve.provision"]
        self.rpc_login("finance")
        not_ended = "has not ended yet: reserves are provisioned for a period that has ended"
        self._assert_refused("2026-10-01", "2099-12-31", not_ended)
        self._assert_refused("2026-12-01", "2026-12-31", not_ended)  # today is in it
        result, error = self._provision("2026-10-01", "2026-10-31")
        self.assertFalse(error, error)
        october = Provision.browse(result["res_id"])
        self.assertEqual((october.date_from, october.date), (date(2026, 10, 1),
                                                             date(2026, 10, 31)))
        self._assert_refused("2026-11-15", "2026-11-30",
                             "provisioned up to 2026-10-31: the next period starts on "
                             "2026-11-01, without a gap")
        self._assert_refused("2026-10-15", "2026-11-30",
                             "provisioned up to 2026-10-31: the next period starts after it")
        result, error = self._provision("2026-11-01", "2026-11-30")
        self.assertFalse(error, error)
        self.assertEqual(Provision.search([("company_id", "=", self.company.id)]).mapped("date"),
                         [date(2026, 11, 30), date(2026, 10, 31)])
